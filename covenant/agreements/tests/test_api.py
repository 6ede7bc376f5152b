import json
import pytest

pytestmark = pytest.mark.django_db

def test_probe(world, client):
    h = world.api_headers("secretariat")
    for method, url, body in [
        ("post", "/api/v1/organisations/own-fashion/brands", '{"name": '),
        ("post", "/api/v1/organisations/own-fashion/brands", '[1,2]'),
        ("post", "/api/v1/organisations/own-fashion/brands", 'null'),
        ("post", "/api/v1/organisations/own-fashion/brands", '"x"'),
        ("post", "/api/v1/organisations/own-fashion/brands", '{"name": ["a"]}'),
        ("post", "/api/v1/organisations/own-fashion/brands", '\xff\xfe'),
        ("get", "/api/v1/agreements/garments/coverage/companies?year=abc", None),
        ("get", "/api/v1/agreements/garments/coverage/companies", None),
        ("get", "/api/v1/organisations?limit=0&type=bogus", None),
        ("put", "/api/v1/companies/own-fashion/turnover/abc", '{"amount_eur": 5}'),
        ("put", "/api/v1/companies/own-fashion/turnover/2019", '{"amount_eur": "NaN"}'),
        ("put", "/api/v1/companies/own-fashion/turnover/2019", '{"amount_eur": "12,5"}'),
        ("put", "/api/v1/companies/own-fashion/turnover/2019", '{"amount_eur": 1.234}'),
        ("put", "/api/v1/companies/own-fashion/turnover/2019", '{"amount_eur": true}'),
        ("get", "/api/v1/memberships/99999999999999", None),
        ("post", "/api/v1/memberships/1/end", '{"reason": "left", "merged_into": "x"}'),
        ("get", "/api/v1/agreements", None),
        ("get", "/api/v1/agreements/garments", None),
        ("get", "/api/v1/agreements/garments/coverage", None),
        ("get", "/api/v1/organisations/own-fashion", None),
        ("get", "/api/v1/agreements/garments/parties/clean-wear/commitment", None),
    ]:
        kw = {"content_type": "application/json", "data": body} if body is not None else {}
        r = getattr(client, method)(url, **kw, **h)
        print(method, url, body, r.status_code, r.content[:600])
    r = client.post("/api/v1/auth/token", {"username": "own", "password": "bad"}, content_type="application/json")
    print(r.status_code, r.content)
    r = client.post("/api/v1/auth/token", {"username": "sec", "password": "correct horse battery staple"}, content_type="application/json")
    print(r.status_code, r.content)
    r = client.get("/api/v1/agreements", HTTP_AUTHORIZATION="Bearer garbage")
    print(r.status_code, r.content)
