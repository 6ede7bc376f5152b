"""A synthetic registry of garment facilities and noisy uploads of it, for benchmarks and demos.

Plain Python, no Django, no third-party imports. A fixed seed gives identical output. All
names are fictional: they are built from syllables and common words, never taken from a list
of real companies.

- `generate_registry(n)`: n unique facilities ("F0000001", ...) across the countries that
  garment brands source from, weighted like their lists (China largest, then Bangladesh,
  India, Turkey, Viet Nam, ...), with names and addresses shaped per country: Chinese in
  characters or pinyin, Vietnamese with diacritics, Turkish "San. ve Tic. Ltd. Şti.",
  Bulgarian in Cyrillic, Burmese and Khmer script now and then; sibling units of one group
  at neighbouring plots; several factories sharing one address; coordinates near the city.
- `generate_uploads(registry, n)`: rows as brands type them, each with the id of the
  facility it really is (None for a facility not in the registry). `generate_upload_rows`
  returns the same rows with what kind of case each one is, for benchmarks that report
  per kind (sibling units, same address, duplicates within the upload)."""

from covenant.matching.synthetic.registry import generate_registry
from covenant.matching.synthetic.uploads import UploadRow, generate_upload_rows, generate_uploads

__all__ = ["UploadRow", "generate_registry", "generate_upload_rows", "generate_uploads"]
