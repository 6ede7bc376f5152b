"""Words, places and legal forms the synthetic generator builds fictional facilities from."""

from __future__ import annotations

# Share of facilities per country, roughly as in brands' disclosed lists.
WEIGHTS: dict[str, float] = {
    "CN": 30.0, "BD": 10.0, "IN": 9.0, "TR": 7.0, "VN": 6.0, "PK": 3.5, "KH": 3.0,
    "MM": 2.0, "ID": 3.0, "PT": 2.5, "IT": 2.5, "LK": 1.5, "MA": 1.2, "TN": 1.0, "RO": 1.0,
    "BG": 1.0, "ET": 0.5, "MX": 1.0, "US": 1.5, "DE": 0.8, "ES": 0.8, "TW": 1.0, "KR": 0.6,
    "TH": 1.0, "EG": 0.8, "JO": 0.4, "GB": 0.6, "PL": 0.5, "BR": 0.7, "HK": 0.8, "NL": 0.3,
    "FR": 0.4, "MG": 0.3, "HN": 0.3, "GT": 0.3, "SV": 0.2, "KE": 0.2, "MU": 0.2, "LT": 0.2,
}  # fmt: skip


COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "CN": ("China", "P.R. China", "PRC", "People's Republic of China", "CHINA"),
    "BD": ("Bangladesh", "BANGLADESH"), "IN": ("India", "INDIA"),
    "TR": ("Turkey", "Türkiye", "TURKEY"), "VN": ("Vietnam", "Viet Nam", "Việt Nam"),
    "PK": ("Pakistan",), "KH": ("Cambodia", "Kingdom of Cambodia"), "MM": ("Myanmar", "Burma"),
    "ID": ("Indonesia",), "PT": ("Portugal",), "IT": ("Italy", "Italia"),
    "LK": ("Sri Lanka",), "MA": ("Morocco", "Maroc"), "TN": ("Tunisia", "Tunisie"),
    "RO": ("Romania", "România"), "BG": ("Bulgaria", "България"), "ET": ("Ethiopia",),
    "MX": ("Mexico", "México"), "US": ("USA", "United States"), "DE": ("Germany", "Deutschland"),
    "ES": ("Spain", "España"), "TW": ("Taiwan",), "KR": ("Korea", "South Korea"),
    "TH": ("Thailand",), "EG": ("Egypt",), "JO": ("Jordan",), "GB": ("United Kingdom", "UK"),
    "PL": ("Poland", "Polska"), "BR": ("Brazil", "Brasil"), "HK": ("Hong Kong",),
    "NL": ("Netherlands", "Nederland"), "FR": ("France",), "MG": ("Madagascar",),
    "HN": ("Honduras",), "GT": ("Guatemala",), "SV": ("El Salvador",), "KE": ("Kenya",),
    "MU": ("Mauritius",), "LT": ("Lithuania", "Lietuva"),
}  # fmt: skip


# city, province, lat, lng, postcode prefix; aliases brands use for the same city.
City = tuple[str, str, float, float, str]


CITIES: dict[str, tuple[City, ...]] = {
    "CN": (
        ("Guangzhou", "Guangdong", 23.13, 113.26, "510"), ("Shenzhen", "Guangdong", 22.54, 114.06, "518"),
        ("Dongguan", "Guangdong", 23.02, 113.75, "523"), ("Foshan", "Guangdong", 23.02, 113.12, "528"),
        ("Zhongshan", "Guangdong", 22.52, 113.39, "528"), ("Shantou", "Guangdong", 23.35, 116.68, "515"),
        ("Ningbo", "Zhejiang", 29.87, 121.54, "315"), ("Hangzhou", "Zhejiang", 30.27, 120.16, "310"),
        ("Shaoxing", "Zhejiang", 30.0, 120.58, "312"), ("Huzhou", "Zhejiang", 30.89, 120.09, "313"),
        ("Wenzhou", "Zhejiang", 28.0, 120.67, "325"), ("Jiaxing", "Zhejiang", 30.75, 120.76, "314"),
        ("Suzhou", "Jiangsu", 31.3, 120.62, "215"), ("Wuxi", "Jiangsu", 31.49, 120.31, "214"),
        ("Changzhou", "Jiangsu", 31.81, 119.97, "213"), ("Nantong", "Jiangsu", 32.0, 120.86, "226"),
        ("Qingdao", "Shandong", 36.07, 120.38, "266"), ("Weifang", "Shandong", 36.71, 119.16, "261"),
        ("Xiamen", "Fujian", 24.48, 118.09, "361"), ("Quanzhou", "Fujian", 24.87, 118.68, "362"),
        ("Jinjiang", "Fujian", 24.78, 118.55, "362"), ("Fuzhou", "Fujian", 26.07, 119.3, "350"),
        ("Shanghai", "Shanghai", 31.23, 121.47, "201"), ("Wuhan", "Hubei", 30.59, 114.31, "430"),
        ("Changsha", "Hunan", 28.23, 112.94, "410"), ("Hefei", "Anhui", 31.82, 117.23, "230"),
        ("Zhengzhou", "Henan", 34.75, 113.63, "450"), ("Yantai", "Shandong", 37.46, 121.45, "264"),
    ),
    "BD": (
        ("Dhaka", "Dhaka Division", 23.81, 90.41, "12"), ("Gazipur", "Dhaka Division", 24.0, 90.42, "17"),
        ("Savar", "Dhaka Division", 23.85, 90.26, "13"), ("Narayanganj", "Dhaka Division", 23.62, 90.5, "14"),
        ("Chittagong", "Chittagong Division", 22.36, 91.78, "42"), ("Ashulia", "Dhaka Division", 23.9, 90.3, "13"),
    ),
    "IN": (
        ("Tirupur", "Tamil Nadu", 11.11, 77.34, "641"), ("Chennai", "Tamil Nadu", 13.08, 80.27, "600"),
        ("Bangalore", "Karnataka", 12.97, 77.59, "560"), ("Gurgaon", "Haryana", 28.46, 77.03, "122"),
        ("Noida", "Uttar Pradesh", 28.54, 77.39, "201"), ("Mumbai", "Maharashtra", 19.08, 72.88, "400"),
        ("Ludhiana", "Punjab", 30.9, 75.86, "141"), ("Jaipur", "Rajasthan", 26.91, 75.79, "302"),
        ("Kolkata", "West Bengal", 22.57, 88.36, "700"), ("Ahmedabad", "Gujarat", 23.02, 72.57, "380"),
    ),
    "TR": (
        ("İstanbul", "İstanbul", 41.01, 28.98, "34"), ("Bursa", "Bursa", 40.19, 29.06, "16"),
        ("Denizli", "Denizli", 37.78, 29.09, "20"), ("İzmir", "İzmir", 38.42, 27.14, "35"),
        ("Çorlu", "Tekirdağ", 41.16, 27.8, "59"), ("Gaziantep", "Gaziantep", 37.07, 37.38, "27"),
        ("Kahramanmaraş", "Kahramanmaraş", 37.58, 36.94, "46"), ("Uşak", "Uşak", 38.68, 29.41, "64"),
    ),
    "VN": (
        ("Hồ Chí Minh", "Hồ Chí Minh", 10.82, 106.63, "70"), ("Hà Nội", "Hà Nội", 21.03, 105.85, "10"),
        ("Biên Hòa", "Đồng Nai", 10.95, 106.82, "81"), ("Thủ Dầu Một", "Bình Dương", 10.98, 106.65, "82"),
        ("Hải Phòng", "Hải Phòng", 20.84, 106.69, "18"), ("Nam Định", "Nam Định", 20.42, 106.17, "07"),
        ("Đà Nẵng", "Đà Nẵng", 16.05, 108.2, "55"), ("Long An", "Long An", 10.54, 106.41, "85"),
    ),
    "PK": (
        ("Karachi", "Sindh", 24.86, 67.0, "74"), ("Lahore", "Punjab", 31.55, 74.34, "54"),
        ("Faisalabad", "Punjab", 31.45, 73.13, "38"), ("Sialkot", "Punjab", 32.49, 74.53, "51"),
    ),
    "KH": (
        ("Phnom Penh", "Phnom Penh", 11.56, 104.92, "12"), ("Kandal", "Kandal", 11.48, 104.95, "08"),
        ("Kampong Speu", "Kampong Speu", 11.45, 104.52, "05"), ("Svay Rieng", "Svay Rieng", 11.09, 105.8, "20"),
    ),
    "MM": (
        ("Yangon", "Yangon Region", 16.87, 96.2, "11"), ("Hlaing Tharyar", "Yangon Region", 16.87, 96.06, "11"),
        ("Bago", "Bago Region", 17.34, 96.48, "08"), ("Mandalay", "Mandalay Region", 21.96, 96.09, "05"),
    ),
    "ID": (
        ("Jakarta", "DKI Jakarta", -6.2, 106.85, "13"), ("Bandung", "Jawa Barat", -6.92, 107.61, "40"),
        ("Semarang", "Jawa Tengah", -6.97, 110.42, "50"), ("Bogor", "Jawa Barat", -6.6, 106.8, "16"),
        ("Tangerang", "Banten", -6.18, 106.63, "15"), ("Surakarta", "Jawa Tengah", -7.57, 110.82, "57"),
    ),
    "PT": (("Braga", "Braga", 41.55, -8.42, "47"), ("Guimarães", "Braga", 41.44, -8.3, "48"),
           ("Porto", "Porto", 41.15, -8.61, "40"), ("Barcelos", "Braga", 41.53, -8.62, "47")),
    "IT": (("Prato", "PO", 43.88, 11.1, "59"), ("Milano", "MI", 45.46, 9.19, "20"),
           ("Carpi", "MO", 44.78, 10.88, "41"), ("Biella", "BI", 45.56, 8.05, "13"),
           ("Napoli", "NA", 40.85, 14.27, "80")),
    "LK": (("Colombo", "Western Province", 6.93, 79.86, "00"), ("Katunayake", "Western Province", 7.17, 79.88, "11"),
           ("Kandy", "Central Province", 7.29, 80.63, "20")),
    "MA": (("Casablanca", "Casablanca-Settat", 33.57, -7.59, "20"), ("Tanger", "Tanger-Tétouan", 35.76, -5.83, "90"),
           ("Fès", "Fès-Meknès", 34.03, -5.0, "30")),
    "TN": (("Monastir", "Monastir", 35.77, 10.83, "50"), ("Sousse", "Sousse", 35.83, 10.64, "40"),
           ("Tunis", "Tunis", 36.81, 10.18, "10")),
    "RO": (("București", "București", 44.43, 26.1, "0"), ("Iași", "Iași", 47.16, 27.59, "7"),
           ("Timișoara", "Timiș", 45.75, 21.23, "3"), ("Bacău", "Bacău", 46.57, 26.91, "6")),
    "BG": (("Sofia", "Sofia", 42.7, 23.32, "1"), ("Plovdiv", "Plovdiv", 42.14, 24.75, "4"),
           ("Blagoevgrad", "Blagoevgrad", 42.02, 23.1, "27"), ("Gabrovo", "Gabrovo", 42.87, 25.32, "53")),
    "ET": (("Addis Ababa", "Addis Ababa", 9.03, 38.74, "1"), ("Hawassa", "Sidama", 7.06, 38.48, "")),
    "MX": (("Puebla", "Puebla", 19.04, -98.21, "72"), ("León", "Guanajuato", 21.12, -101.68, "37"),
           ("Aguascalientes", "Aguascalientes", 21.88, -102.29, "20"), ("Tehuacán", "Puebla", 18.46, -97.39, "75")),
    "US": (("Los Angeles", "CA", 34.05, -118.24, "900"), ("New York", "NY", 40.71, -74.01, "100"),
           ("Dalton", "GA", 34.77, -84.97, "307")),
    "DE": (("Mönchengladbach", "NRW", 51.18, 6.44, "41"), ("Hamburg", "Hamburg", 53.55, 9.99, "20")),
    "ES": (("Barcelona", "Barcelona", 41.39, 2.17, "08"), ("Valencia", "Valencia", 39.47, -0.38, "46")),
    "TW": (("Taipei", "Taipei", 25.03, 121.57, "10"), ("Taichung", "Taichung", 24.15, 120.67, "40")),
    "KR": (("Seoul", "Seoul", 37.57, 126.98, "0"), ("Daegu", "Daegu", 35.87, 128.6, "4")),
    "TH": (("Bangkok", "Bangkok", 13.76, 100.5, "10"), ("Samut Prakan", "Samut Prakan", 13.6, 100.6, "10")),
    "EG": (("Cairo", "Cairo", 30.04, 31.24, "11"), ("Alexandria", "Alexandria", 31.2, 29.92, "21")),
    "JO": (("Amman", "Amman", 31.95, 35.93, "11"), ("Irbid", "Irbid", 32.56, 35.85, "21")),
    "GB": (("Leicester", "Leicestershire", 52.64, -1.13, "LE"), ("Manchester", "Greater Manchester", 53.48, -2.24, "M")),
    "PL": (("Łódź", "Łódzkie", 51.76, 19.46, "9"), ("Warszawa", "Mazowieckie", 52.23, 21.01, "0")),
    "BR": (("São Paulo", "SP", -23.55, -46.63, "0"), ("Blumenau", "SC", -26.92, -49.07, "89")),
    "HK": (("Kowloon", "Kowloon", 22.32, 114.17, ""), ("Kwun Tong", "Kowloon", 22.31, 114.23, "")),
    "NL": (("Amsterdam", "Noord-Holland", 52.37, 4.9, "10"), ("Tilburg", "Noord-Brabant", 51.56, 5.09, "50")),
    "FR": (("Roubaix", "Nord", 50.69, 3.17, "59"), ("Lyon", "Rhône", 45.76, 4.84, "69")),
    "MG": (("Antananarivo", "Analamanga", -18.88, 47.51, "101"),),
    "HN": (("San Pedro Sula", "Cortés", 15.5, -88.03, "21"),),
    "GT": (("Guatemala City", "Guatemala", 14.63, -90.51, "01"),),
    "SV": (("San Salvador", "San Salvador", 13.69, -89.22, "11"),),
    "KE": (("Nairobi", "Nairobi", -1.29, 36.82, "00"), ("Athi River", "Machakos", -1.45, 36.98, "00")),
    "MU": (("Port Louis", "Port Louis", -20.16, 57.5, ""),),
    "LT": (("Kaunas", "Kaunas", 54.9, 23.9, "LT-4"), ("Vilnius", "Vilnius", 54.69, 25.28, "LT-0")),
}  # fmt: skip


CITY_ALIASES: dict[str, tuple[str, ...]] = {
    "Dhaka": ("Dacca", "DHAKA"), "Chittagong": ("Chattogram", "Ctg"), "Gurgaon": ("Gurugram",),
    "Mumbai": ("Bombay",), "Bangalore": ("Bengaluru",), "Chennai": ("Madras",),
    "Tirupur": ("Tiruppur",), "Kolkata": ("Calcutta",), "Hồ Chí Minh": ("Ho Chi Minh City", "HCMC", "Saigon"),
    "Hà Nội": ("Hanoi", "Ha Noi"), "İstanbul": ("Istanbul",), "İzmir": ("Izmir",),
    "Yangon": ("Rangoon",), "Guangzhou": ("Canton",), "Sofia": ("София",), "Plovdiv": ("Пловдив",),
    "Milano": ("Milan",), "Tanger": ("Tangier",), "București": ("Bucharest", "Bucuresti"),
    "Fès": ("Fez",), "Łódź": ("Lodz",), "São Paulo": ("Sao Paulo",), "Kowloon": ("KLN",),
}  # fmt: skip


LATIN_SYLLABLES = (
    "ka", "ro", "mi", "ta", "ve", "lo", "san", "der", "mar", "tex", "vin", "sol", "ara", "bel",
    "cor", "dan", "el", "fa", "gra", "hel", "ira", "jo", "kal", "lum", "nor", "ora", "pa",
    "qui", "ri", "sa", "tor", "ul", "va", "zen", "bri", "cas", "del", "ena", "fio", "gal",
)  # fmt: skip


WORDS: dict[str, tuple[str, ...]] = {
    "BD": ("Rahman", "Karim", "Nasir", "Jamuna", "Padma", "Meghna", "Sonar", "Banga", "Rupali",
           "Shapla", "Dhanshiri", "Alam", "Hossain", "Mollah", "Tanjim", "Fariha", "Ananta",
           "Noor", "Sadia", "Basundhara", "Nazma", "Labiba", "Ekushey", "Sheuli", "Rokeya"),
    "IN": ("Shree", "Sri", "Ganesh", "Lakshmi", "Kaveri", "Arun", "Vijay", "Surya", "Anand",
           "Pooja", "Meera", "Ashoka", "Navrang", "Kiran", "Raghav", "Sagar", "Vasant", "Ajanta",
           "Mahalakshmi", "Balaji", "Tulsi", "Neel", "Priya", "Ravi", "Devi"),
    "PK": ("Noor", "Zafar", "Iqbal", "Hamza", "Sana", "Faisal", "Rehman", "Kohinoor", "Sitara",
           "Anwar", "Bilal", "Usman", "Mehran", "Indus", "Chenab", "Ravi", "Ayesha", "Khalid"),
    "LK": ("Lanka", "Ceylon", "Ruhuna", "Kandy", "Serendib", "Nimal", "Perera", "Silva",
           "Rathna", "Sunil", "Ananda", "Kumari", "Mahaweli", "Sigiri", "Dilan"),
    "TR": ("Yıldız", "Güneş", "Deniz", "Akdeniz", "Ege", "Kaya", "Demir", "Yılmaz", "Özkan",
           "Çelik", "Ayyıldız", "Doğan", "Şahin", "Ertuğrul", "Gökçe", "Kılıç", "Arslan",
           "Başak", "Yeşil", "Ufuk", "Poyraz", "Erdem", "Koç", "Sönmez", "Tuğba"),
    "VN": ("Thành", "Công", "Phương", "Đông", "Việt", "Tiến", "Hòa", "Bình", "Minh", "Anh",
           "Thái", "Hưng", "Thịnh", "Phú", "Mỹ", "Đức", "Tân", "Phát", "Nam", "Long", "Bảo",
           "Ngọc", "Hoàng", "Gia", "Kim", "Thiên", "Phúc", "An", "Phước", "Trường", "Sơn", "Đại",
           "Hồng", "Hà", "Lộc", "Quang", "Huy", "Khang", "Nhật", "Tâm"),
    "ID": ("Sinar", "Jaya", "Mulia", "Abadi", "Makmur", "Sentosa", "Indah", "Karya", "Mitra",
           "Cahaya", "Bintang", "Sejahtera", "Prima", "Gemilang", "Nusantara", "Mandiri",
           "Lestari", "Utama", "Agung", "Perkasa", "Dharma", "Surya", "Sakti"),
    "PT": ("Silva", "Costa", "Ferreira", "Sousa", "Oliveira", "Minho", "Cávado", "Lusitânia",
           "Atlântico", "Monteiro", "Ribeiro", "Barros", "Fonseca", "Teixeira", "Estrela"),
    "IT": ("Rossi", "Bianchi", "Toscana", "Arno", "Bellini", "Colombo", "Ferri", "Galli",
           "Lombardi", "Moretti", "Serena", "Stella", "Vitale", "Conti", "Marino", "Aurora"),
    "MA": ("Atlas", "Maghreb", "Zitoun", "Amal", "Nour", "Yasmine", "Bennani", "Alaoui",
           "Rif", "Tafilalet", "Salam", "Mansour", "Idrissi"),
    "TN": ("Carthage", "Jasmin", "Sahel", "Zitouna", "Medina", "Hannibal", "Ben Ali", "Trabelsi",
           "Mahdia", "Kairouan", "Nour", "Amel"),
    "RO": ("Carpați", "Dunărea", "Moldova", "Popescu", "Ionescu", "Tisa", "Olt", "Mureș",
           "Bucovina", "Stejar", "Aurora", "Victoria"),
    "BG": ("Balkan", "Rila", "Pirin", "Struma", "Marica", "Rodopi", "Vitosha", "Trakia",
           "Zornitsa", "Iskar", "Yantra", "Shipka", "Strandzha"),
    "ET": ("Abay", "Selam", "Tana", "Lalibela", "Axum", "Habesha", "Tigist", "Meskel", "Abebe"),
    "MX": ("Azteca", "Sierra", "Sol", "Luna", "Hernández", "García", "Maya", "Jalisco",
           "Monarca", "Estrella", "Reyes", "Olmeca", "Paloma"),
    "KH": ("Angkor", "Mekong", "Sok", "Chan", "Meas", "Pich", "Srey", "Bayon", "Tonle",
           "Sovann", "Rithy", "Vanna"),
    "MM": ("Shwe", "Yadanar", "Mingalar", "Aung", "Htun", "Sein", "Mya", "Zaw", "Thiri",
           "Myint", "Ayeyar", "Pyi"),
}  # fmt: skip


# Khmer and Burmese spellings of the words above that have one, for names in script.
KHMER = {"Angkor": "អង្គរ", "Mekong": "មេគង្គ", "Sok": "សុខ", "Chan": "ចាន់", "Meas": "មាស",
          "Pich": "ពេជ្រ", "Srey": "ស្រី", "Tonle": "ទន្លេ", "Sovann": "សុវណ្ណ", "Vanna": "វណ្ណា"}  # fmt: skip


BURMESE = {"Shwe": "ရွှေ", "Yadanar": "ရတနာ", "Mingalar": "မင်္ဂလာ", "Aung": "အောင်",
            "Htun": "ထွန်း", "Sein": "စိန်", "Mya": "မြ", "Zaw": "ဇော်", "Myint": "မြင့်",
            "Ayeyar": "ဧရာ", "Pyi": "ပြည်", "Thiri": "သီရိ"}  # fmt: skip


# Chinese: (characters, pinyin) for the parts of a name.
CN_CORE = (
    ("华", "hua"), ("兴", "xing"), ("丰", "feng"), ("泰", "tai"), ("盛", "sheng"), ("达", "da"),
    ("源", "yuan"), ("鑫", "xin"), ("恒", "heng"), ("利", "li"), ("美", "mei"), ("嘉", "jia"),
    ("宏", "hong"), ("润", "run"), ("瑞", "rui"), ("祥", "xiang"), ("隆", "long"), ("昌", "chang"),
    ("永", "yong"), ("锦", "jin"), ("天", "tian"), ("宝", "bao"), ("德", "de"), ("顺", "shun"),
    ("福", "fu"), ("东", "dong"), ("益", "yi"), ("安", "an"), ("明", "ming"), ("凯", "kai"),
    ("威", "wei"), ("创", "chuang"), ("鼎", "ding"), ("晨", "chen"), ("航", "hang"), ("豪", "hao"),
    ("博", "bo"), ("诚", "cheng"), ("海", "hai"), ("骏", "jun"), ("群", "qun"), ("荣", "rong"),
    ("森", "sen"), ("雅", "ya"), ("舒", "shu"), ("腾", "teng"), ("振", "zhen"), ("正", "zheng"),
    ("中", "zhong"), ("卓", "zhuo"), ("宇", "yu"), ("奥", "ao"), ("彩", "cai"), ("光", "guang"),
    ("汇", "hui"), ("坤", "kun"), ("朗", "lang"), ("蓝", "lan"), ("灵", "ling"), ("南", "nan"),
    ("鹏", "peng"), ("琪", "qi"), ("仁", "ren"), ("尚", "shang"), ("通", "tong"), ("万", "wan"),
    ("文", "wen"), ("春", "chun"), ("秀", "xiu"), ("毅", "yi"), ("欣", "xin"), ("家", "jia"),
)  # fmt: skip


CN_CITY = {
    "Guangzhou": "广州", "Shenzhen": "深圳", "Dongguan": "东莞", "Foshan": "佛山", "Zhongshan": "中山",
    "Shantou": "汕头", "Ningbo": "宁波", "Hangzhou": "杭州", "Shaoxing": "绍兴", "Huzhou": "湖州",
    "Wenzhou": "温州", "Jiaxing": "嘉兴", "Suzhou": "苏州", "Wuxi": "无锡", "Changzhou": "常州",
    "Nantong": "南通", "Qingdao": "青岛", "Weifang": "潍坊", "Xiamen": "厦门", "Quanzhou": "泉州",
    "Jinjiang": "晋江", "Fuzhou": "福州", "Shanghai": "上海", "Wuhan": "武汉", "Changsha": "长沙",
    "Hefei": "合肥", "Zhengzhou": "郑州", "Yantai": "烟台",
    "Guangdong": "广东", "Zhejiang": "浙江", "Jiangsu": "江苏", "Shandong": "山东", "Fujian": "福建",
    "Hubei": "湖北", "Hunan": "湖南", "Anhui": "安徽", "Henan": "河南",
}  # fmt: skip


CN_INDUSTRY = (
    ("服装", "Garment"), ("制衣", "Clothing"), ("针织", "Knitting"), ("纺织", "Textile"),
    ("服饰", "Apparel"), ("印染", "Printing and Dyeing"), ("鞋业", "Shoes"), ("时装", "Fashion"),
    ("织造", "Weaving"), ("毛纺", "Woollen"), ("水洗", "Washing"), ("家纺", "Home Textile"),
)  # fmt: skip


CN_LEGAL = (
    ("有限公司", "Co., Ltd."), ("有限公司", "Co.,Ltd"), ("有限公司", "Co., Ltd"),
    ("股份有限公司", "Co., Ltd."), ("实业有限公司", "Industrial Co., Ltd."), ("厂", "Factory"),
    ("有限公司", "Limited"), ("制品有限公司", "Products Co., Ltd."),
)  # fmt: skip


CN_NUM = "一二三四五六七八九"


CN_ROADS = (("新华", "Xinhua"), ("人民", "Renmin"), ("工业", "Gongye"), ("建设", "Jianshe"),
             ("中山", "Zhongshan"), ("解放", "Jiefang"), ("和平", "Heping"), ("长江", "Changjiang"),
             ("环城", "Huancheng"), ("兴业", "Xingye"), ("科技", "Keji"), ("振兴", "Zhenxing"))  # fmt: skip


CN_TOWNS = (("虎门", "Humen"), ("长安", "Chang'an"), ("大朗", "Dalang"), ("厚街", "Houjie"),
             ("柯桥", "Keqiao"), ("石狮", "Shishi"), ("盛泽", "Shengze"), ("织里", "Zhili"),
             ("濮院", "Puyuan"), ("塘厦", "Tangxia"), ("沙溪", "Shaxi"), ("新塘", "Xintang"),
             ("古镇", "Guzhen"), ("平湖", "Pinghu"), ("龙岗", "Longgang"), ("宝安", "Bao'an"))  # fmt: skip


INDUSTRY: dict[str, tuple[str, ...]] = {
    "BD": ("Garments", "Knitwear", "Apparels", "Fashions", "Sweaters", "Knit Composite", "Denims",
           "Textiles", "Knitting & Dyeing", "Washing"),
    "IN": ("Exports", "Apparels", "Fashions", "Knits", "Clothing", "Textiles", "Garments",
           "Creations", "Overseas", "Knit Fab", "Processors"),
    "PK": ("Textile Mills", "Apparel", "Garments", "Knitwear", "Industries", "Fabrics", "Sports"),
    "LK": ("Apparel", "Garments", "Clothing", "Knitting Mills", "Textiles"),
    "GEN": ("Garment", "Garments", "Apparel", "Textile", "Textiles", "Fashion", "Knitting",
            "Clothing", "Manufacturing", "Industries"),
}  # fmt: skip


LEGAL: dict[str, tuple[str, ...]] = {
    "BD": ("Ltd", "Ltd.", "Limited", "(BD) Ltd", "(Pvt.) Ltd", "Ltd."),
    "IN": ("Pvt Ltd", "Pvt. Ltd.", "Private Limited", "Pvt Ltd", "LLP", "Limited", ""),
    "PK": ("(Pvt.) Ltd", "(Pvt) Limited", "Pvt Ltd", "Ltd"),
    "LK": ("(Pvt) Ltd", "(Private) Limited", "PLC", "(Pvt) Ltd"),
    "TR": ("San. ve Tic. Ltd. Şti.", "Tekstil San. ve Tic. A.Ş.", "A.Ş.", "Ltd. Şti.",
           "Sanayi ve Ticaret Limited Şirketi", "San. Tic. A.Ş."),
    "VN": ("Co., Ltd", "Joint Stock Company", "JSC", "Co., Ltd."),
    "ID": ("Tbk", "", "", ""),
    "KH": ("Co., Ltd", "(Cambodia) Co., Ltd", "Co., Ltd."),
    "MM": ("Co., Ltd", "Myanmar Co., Ltd", "Company Limited"),
    "PT": ("Lda", "Lda.", "S.A.", "Unipessoal Lda", "SA"),
    "IT": ("S.r.l.", "Srl", "S.p.A.", "S.n.c.", "S.a.s."),
    "MA": ("SARL", "S.A.R.L.", "SA", "SARL AU"),
    "TN": ("SARL", "SA", "S.A.R.L.", "Suarl"),
    "RO": ("S.R.L.", "SRL", "S.A.", "SA"),
    "BG": ("EOOD", "OOD", "AD", "EAD"),
    "ET": ("PLC", "Share Company", "S.C.", "P.L.C."),
    "MX": ("S.A. de C.V.", "SA de CV", "S. de R.L. de C.V.", "S.A.P.I. de C.V."),
    "US": ("Inc.", "LLC", "Inc", "Corp."),
    "DE": ("GmbH", "GmbH & Co. KG", "KG", "AG"),
    "ES": ("S.L.", "S.A.", "SL", "S.L.U."),
    "BR": ("Ltda", "Ltda.", "S.A.", "Eireli"),
    "PL": ("Sp. z o.o.", "sp. z o.o.", "S.A.", "Sp.j."),
    "GB": ("Ltd", "Limited", "LLP", "PLC"),
    "NL": ("B.V.", "BV", "N.V."),
    "FR": ("SARL", "SAS", "SA", "EURL"),
    "EG": ("S.A.E.", "SAE", "Co."),
    "LT": ("UAB", "AB"),
    "GEN": ("Co., Ltd", "Co., Ltd.", "Limited", "Ltd", "Company Limited", "Corp.", "Inc."),
}  # fmt: skip


# Legal forms that go before the name.
LEGAL_PREFIX = {
    "ID": ("PT", "PT.", "P.T."),
    "LT": ("UAB",),
    "RO": ("S.C.",),
    "MA": ("Sté", "Société"),
}


VN_PREFIX = ("Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Cty TNHH")


VN_INDUSTRY = ("May mặc", "Dệt may", "May", "Thời trang", "Dệt kim", "May xuất khẩu")


TR_INDUSTRY = ("Tekstil", "Konfeksiyon", "Örme", "Giyim", "Boya Apre", "İplik", "Triko")


ID_INDUSTRY = ("Garmindo", "Textile", "Garment", "Tekstil", "Busana", "Apparel", "Knitting")


PT_INDUSTRY = ("Confecções", "Têxteis", "Malhas", "Vestuário", "Confeções")


IT_INDUSTRY = ("Confezioni", "Maglificio", "Tessitura", "Abbigliamento", "Lanificio")


FR_INDUSTRY = ("Confection", "Textile", "Tricotage", "Couture", "Bonneterie")


MX_INDUSTRY = ("Confecciones", "Textiles", "Maquiladora", "Industrias", "Vestido")


BG_INDUSTRY = ("Textil", "Shivashka", "Moda", "Trikotazh")


LATIN_TO_CYR = (
    ("sht", "щ"), ("zh", "ж"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"), ("ya", "я"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"),
    ("y", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"),
    ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "к"), ("x", "кс"), ("w", "в"),
    ("q", "к"), ("j", "дж"),
)  # fmt: skip


CYR_TO_LATIN = {c: lat for lat, c in LATIN_TO_CYR if c not in ("к", "кс", "в", "дж") or lat in "kv"}


CYR_TO_LATIN.update({"ъ": "a", "ь": "y", "к": "k", "в": "v", "дж": "dzh"})


BG_LEGAL_CYR = {"EOOD": "ЕООД", "OOD": "ООД", "AD": "АД", "EAD": "ЕАД"}


BG_STREETS = (("ul.", "ул."), ("bul.", "бул."))


# Address vocabulary for the Latin-script countries.
STREETS = ("Main", "Station", "Industrial", "Market", "Lake", "Hill", "Park", "Mill",
            "Factory", "Airport", "Highway", "Canal", "River", "Garden", "Temple", "Bridge")  # fmt: skip


BD_AREAS = ("Ashulia", "Kashimpur", "Konabari", "Tongi", "Mirpur", "Baipayl", "Zirabo",
             "Chandra", "Kaliakoir", "Bhaluka", "Fatullah", "Kanchpur", "Sreepur", "Kalampur")  # fmt: skip


IN_AREAS = ("Udyog Vihar Phase 4", "Udyog Vihar Phase 6", "Okhla Industrial Area", "SIPCOT",
             "Peenya Industrial Area", "MIDC", "Phase II", "Sector 63", "Sector 37", "Guindy",
             "Avinashi Road", "Mangalam Road", "Kangeyam Road", "Focal Point")  # fmt: skip


TR_AREAS = ("Organize Sanayi Bölgesi", "Atatürk Mah.", "Cumhuriyet Mah.", "Yenidoğan Mah.",
             "Sanayi Mah.", "Fatih Mah.", "Merkez Mah.", "Velimeşe OSB")  # fmt: skip


VN_ZONES = ("KCN Tân Bình", "KCN Sóng Thần", "KCN Biên Hòa 2", "KCN Mỹ Phước", "KCN Tân Tạo",
             "KCN Nhơn Trạch", "KCN Hòa Xá", "KCN Đình Vũ", "KCN Vĩnh Lộc")  # fmt: skip


VN_WARDS = ("Phường Tây Thạnh", "Phường Linh Trung", "Xã Tân Hiệp", "Phường An Phú",
             "Xã Bình Chuẩn", "Phường Hiệp Thành", "Xã Long Thành")  # fmt: skip


ID_STREETS = ("Jl. Raya Bogor", "Jl. Industri", "Jl. Raya Serang", "Jl. Cakung Cilincing",
               "Jl. Soekarno Hatta", "Jl. Raya Ungaran", "Jl. Gatot Subroto")  # fmt: skip


KH_PLACES = ("Phum Trapeang Thloeng", "Phum Prey Tea", "Sangkat Chaom Chau",
              "Sangkat Kakab", "Khan Por Sen Chey", "Khan Meanchey", "Phum Kraing Thnong")  # fmt: skip


MM_PLACES = ("Shwe Lin Ban Industrial Zone", "Hlaing Tharyar Industrial Zone", "Mingaladon Industrial Park",
              "Shwe Pyi Thar Industrial Zone", "Bago Industrial Zone", "Dagon Seikkan Industrial Zone")  # fmt: skip


STREET_TYPES: dict[str, tuple[str, str]] = {
    "PT": ("Rua", "pre"), "IT": ("Via", "pre"), "ES": ("Calle", "pre"), "MX": ("Calle", "pre"),
    "BR": ("Rua", "pre"), "FR": ("Rue", "pre"), "RO": ("Str.", "pre"), "MA": ("Rue", "pre"),
    "TN": ("Rue", "pre"), "DE": ("straße", "suf"), "NL": ("straat", "suf"), "PL": ("ul.", "pre"),
    "LT": ("g.", "suf"), "HN": ("Calle", "pre"), "GT": ("Calzada", "pre"), "SV": ("Calle", "pre"),
}  # fmt: skip


# Abbreviations brands use one way or the other (applied as noise, word-wise).
ABBREV = {
    "Road": "Rd", "Street": "St", "Industrial": "Ind.", "Zone": "Zone", "District": "Dist.",
    "Village": "Vill.", "Limited": "Ltd", "Company": "Co", "Private": "Pvt", "Garments": "Gmts",
    "Textiles": "Tex", "Province": "Prov.", "Number": "No.", "Avenue": "Ave", "Knitwear": "Knit",
    "Phường": "P.", "Quận": "Q.", "Mahallesi": "Mah.", "Caddesi": "Cad.", "Sokak": "Sk.",
}  # fmt: skip


UNABBREV = {v: k for k, v in ABBREV.items() if v != k}
