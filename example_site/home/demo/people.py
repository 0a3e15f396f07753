"""Fictional participants for the demo's two rounds, made up from lists of names.

Every person is a random pairing of a given name and a family name of one naming
tradition, with a workplace in a city of their country: nobody here is a real
person. The same seed always gives the same people. No Django import: records out.
"""

import dataclasses
import random
import unicodedata
from dataclasses import dataclass, field

SEED = 20250611

ROUND_11_PEOPLE = 240
ROUND_12_NEW_PEOPLE = 240
ROUND_12_RETURNING = 60


def names(text):
    """Names separated by spaces; "_" joins the words of one name."""
    return [name.replace("_", " ") for name in text.split()]


# Naming traditions: (given names, family names, whether the family name comes first).
NAMES = {
    "anglo": (
        names("Olivia Jack Grace Harry Chloe Liam Megan Owen Hannah Callum Erin Declan"),
        names(
            "Whitfield Brennan Ashworth Calloway Pembury Hartley Munro Fairbairn Lockhart Tilney"
        ),
        False,
    ),
    "hispanic": (
        names("Lucía Mateo Valentina Santiago Camila Diego Ximena Joaquín Paula Andrés Inés Tomás"),
        names(
            "Aranda Villalobos Quiroga Echeverría Montoya Salcedo Ibarra Carrasco Olmedo Paredes"
        ),
        False,
    ),
    "lusophone": (
        names("Beatriz João Mariana Tiago Larissa Rafael Helena Gonçalo Isadora Vinícius"),
        names("Figueiredo Arantes Lacerda Macedo Valadares Quintela Bastos Sardinha Teixeira"),
        False,
    ),
    "francophone": (
        names("Camille Théo Manon Hugo Aminata Moussa Élodie Baptiste Clémence Ousmane Awa"),
        names("Delacroix Fontaine Mbaye Lambert Diallo Rousseau Ndiaye Marchand Bertrand Koné"),
        False,
    ),
    "germanic": (
        names("Lena Jonas Anouk Lukas Femke Maximilian Sanne Felix Mirjam Stefan Liesbeth"),
        names("Hofstetter Van_Dijk Brandauer Kessler De_Wit Lindqvist Oberholzer Vermeulen"),
        False,
    ),
    "nordic": (
        names("Astrid Mikkel Ingrid Eero Sigrún Halvard Aino Rasmus Freyja Oskar Liv"),
        names("Lindahl Haugen Virtanen Sigurðardóttir Bergqvist Nyström Korhonen Dahl Eriksen"),
        False,
    ),
    "slavic": (
        names("Zofia Marek Olena Tomáš Ivana Bohdan Milena Pavel Katarzyna Dragan Yana"),
        names("Kowalczyk Novotná Shevchenko Horvat Petrović Dvořák Wiśniewska Kovalenko Ilić"),
        False,
    ),
    "arabic": (
        names("Yasmin Omar Layla Karim Nour Tarek Salma Hassan Rania Youssef Dalia"),
        names("El-Sayed Haddad Benali Khoury Mansour Nasser Bouzid Farouk Hamdan Sabbagh"),
        False,
    ),
    "east_african": (
        names("Wanjiru Baraka Achieng Juma Neema Kiprotich Amani Tesfaye Mekdes Mugisha Zawadi"),
        names("Otieno Mwangi Nakato Kamau Mushi Ssempala Bekele Uwimana Njoroge Wekesa"),
        False,
    ),
    "west_african": (
        names("Adaeze Kwame Folake Chinedu Abena Tunde Efua Emeka Ngozi Kofi Yaa"),
        names("Okonkwo Mensah Adeyemi Asante Eze Boateng Okafor Owusu Adebayo Nwachukwu"),
        False,
    ),
    "southern_african": (
        names("Thandiwe Sipho Naledi Tendai Lerato Tatenda Kagiso Nomsa Themba Ndapewa"),
        names("Dlamini Moyo Nkosi Mokoena Chikwanha Ndlovu Shikongo Molefe Sithole Mabuza"),
        False,
    ),
    "south_asian": (
        names("Priya Arjun Ananya Rohan Farah Imran Nusrat Sanjay Kavya Tashi Dilani Ayesha"),
        names("Raghavan Chaudhry Banerjee Perera Qureshi Shrestha Iyer Rahman Deshpande Malik"),
        False,
    ),
    "east_asian": (
        names("Yuki Haruto Ji-woo Min-jun Mei Hao Sakura Seo-yeon Xiaoling Kenta Yuna"),
        names("Tanaka Park Chen Watanabe Kim Liu Nakamura Choi Zhang Yoshida"),
        True,
    ),
    "southeast_asian": (
        names("Maria Paolo Siti Arif Linh Minh Nurul Putri Kanya Somchai Jasmine"),
        names("Santos Reyes Wijaya Nguyen Tran Abdullah Rahmat Saetang Dela_Cruz Lestari"),
        False,
    ),
    "turkic": (
        names("Elif Emre Aigerim Nursultan Zeynep Bekzod Madina Timur Dilnoza Kerem"),
        names("Yılmaz Nurlanov Karimova Demir Abdullaev Sadykova Aydın Tursunov Öztürk"),
        False,
    ),
    "persian": (
        names("Shirin Dariush Parisa Kaveh Maryam Arash Nasrin Babak Golnaz"),
        names("Rahimi Tehrani Jafari Karimi Ahmadi Moradi Sadeghi Hosseini"),
        False,
    ),
    "mediterranean": (
        names("Giulia Marco Eleni Nikos Chiara Dimitris Francesca Giorgos Sofia Lorenzo"),
        names("Ferraro Papadopoulou Galli Konstantinidis Moretti Georgiou Rinaldi Vlachos"),
        False,
    ),
    "hebrew": (
        names("Noa Itai Tamar Yoav Shira Eitan Maya Amit"),
        names("Ben-David Mizrahi Friedman Peretz Azoulay Shapiro Levin"),
        False,
    ),
    "mongolian": (
        names("Enkhjin Bat-Erdene Solongo Temuulen Oyunaa Ganbold Nomin"),
        names("Batbayar Tsogtbaatar Erdenebileg Ganzorig Otgonbayar"),
        True,
    ),
    "pacific": (
        names("Mere Sione Losana Tevita Ana Vilitati Salote Iosefa"),
        names("Naivalu Tupou Rokotuiwai Fifita Ratu Vainikolo Leota"),
        False,
    ),
}

# country code: (city, IANA time zone, naming tradition, languages, weight)
COUNTRIES = {
    "GB": ("Leeds", "Europe/London", "anglo", ["en"], 8),
    "IE": ("Galway", "Europe/Dublin", "anglo", ["en", "ga"], 3),
    "US": ("Tucson", "America/Phoenix", "anglo", ["en", "es"], 10),
    "CA": ("Winnipeg", "America/Winnipeg", "anglo", ["en", "fr"], 5),
    "AU": ("Hobart", "Australia/Hobart", "anglo", ["en"], 5),
    "NZ": ("Dunedin", "Pacific/Auckland", "anglo", ["en"], 3),
    "ES": ("Zaragoza", "Europe/Madrid", "hispanic", ["es", "ca"], 5),
    "MX": ("Oaxaca", "America/Mexico_City", "hispanic", ["es"], 5),
    "AR": ("Rosario", "America/Argentina/Cordoba", "hispanic", ["es"], 4),
    "CO": ("Medellín", "America/Bogota", "hispanic", ["es"], 4),
    "PE": ("Arequipa", "America/Lima", "hispanic", ["es"], 3),
    "CL": ("Valparaíso", "America/Santiago", "hispanic", ["es"], 3),
    "UY": ("Montevideo", "America/Montevideo", "hispanic", ["es"], 2),
    "BR": ("Belo Horizonte", "America/Sao_Paulo", "lusophone", ["pt", "es"], 6),
    "PT": ("Coimbra", "Europe/Lisbon", "lusophone", ["pt"], 3),
    "MZ": ("Maputo", "Africa/Maputo", "lusophone", ["pt", "en"], 2),
    "FR": ("Lyon", "Europe/Paris", "francophone", ["fr"], 5),
    "BE": ("Liège", "Europe/Brussels", "francophone", ["fr", "nl"], 2),
    "SN": ("Dakar", "Africa/Dakar", "francophone", ["fr"], 3),
    "CI": ("Abidjan", "Africa/Abidjan", "francophone", ["fr"], 2),
    "CM": ("Douala", "Africa/Douala", "francophone", ["fr", "en"], 3),
    "DE": ("Leipzig", "Europe/Berlin", "germanic", ["de", "en"], 5),
    "AT": ("Graz", "Europe/Vienna", "germanic", ["de"], 2),
    "NL": ("Utrecht", "Europe/Amsterdam", "germanic", ["nl", "en"], 3),
    "SE": ("Umeå", "Europe/Stockholm", "nordic", ["sv", "en"], 2),
    "NO": ("Tromsø", "Europe/Oslo", "nordic", ["nb", "en"], 2),
    "FI": ("Tampere", "Europe/Helsinki", "nordic", ["fi", "sv"], 2),
    "PL": ("Wrocław", "Europe/Warsaw", "slavic", ["pl", "en"], 3),
    "CZ": ("Brno", "Europe/Prague", "slavic", ["cs"], 2),
    "UA": ("Lviv", "Europe/Kyiv", "slavic", ["uk", "en"], 3),
    "HR": ("Split", "Europe/Zagreb", "slavic", ["hr"], 2),
    "RS": ("Novi Sad", "Europe/Belgrade", "slavic", ["sr"], 2),
    "EG": ("Alexandria", "Africa/Cairo", "arabic", ["ar", "en"], 3),
    "MA": ("Fès", "Africa/Casablanca", "arabic", ["ar", "fr"], 3),
    "JO": ("Irbid", "Asia/Amman", "arabic", ["ar", "en"], 2),
    "LB": ("Beirut", "Asia/Beirut", "arabic", ["ar", "fr", "en"], 2),
    "KE": ("Kisumu", "Africa/Nairobi", "east_african", ["sw", "en"], 6),
    "TZ": ("Arusha", "Africa/Dar_es_Salaam", "east_african", ["sw", "en"], 3),
    "UG": ("Gulu", "Africa/Kampala", "east_african", ["en", "sw"], 3),
    "ET": ("Bahir Dar", "Africa/Addis_Ababa", "east_african", ["en"], 2),
    "NG": ("Enugu", "Africa/Lagos", "west_african", ["en", "ig"], 7),
    "GH": ("Kumasi", "Africa/Accra", "west_african", ["en"], 4),
    "ZA": ("Durban", "Africa/Johannesburg", "southern_african", ["en", "af"], 5),
    "ZW": ("Bulawayo", "Africa/Harare", "southern_african", ["en"], 2),
    "IN": ("Pune", "Asia/Kolkata", "south_asian", ["en", "hi", "mr"], 8),
    "PK": ("Lahore", "Asia/Karachi", "south_asian", ["ur", "en"], 3),
    "BD": ("Chattogram", "Asia/Dhaka", "south_asian", ["bn", "en"], 3),
    "NP": ("Pokhara", "Asia/Kathmandu", "south_asian", ["ne", "en"], 2),
    "LK": ("Kandy", "Asia/Colombo", "south_asian", ["ta", "en"], 2),
    "JP": ("Sendai", "Asia/Tokyo", "east_asian", ["ja", "en"], 3),
    "KR": ("Daejeon", "Asia/Seoul", "east_asian", ["ko", "en"], 2),
    "PH": ("Cebu City", "Asia/Manila", "southeast_asian", ["en"], 4),
    "ID": ("Yogyakarta", "Asia/Jakarta", "southeast_asian", ["id", "en"], 3),
    "MY": ("Penang", "Asia/Kuala_Lumpur", "southeast_asian", ["ms", "en"], 2),
    "VN": ("Huế", "Asia/Ho_Chi_Minh", "southeast_asian", ["vi", "en"], 2),
    "TH": ("Chiang Mai", "Asia/Bangkok", "southeast_asian", ["th", "en"], 2),
    "TR": ("İzmir", "Europe/Istanbul", "turkic", ["tr", "en"], 3),
    "IT": ("Bologna", "Europe/Rome", "mediterranean", ["it", "en"], 3),
    "GR": ("Thessaloniki", "Europe/Athens", "mediterranean", ["el", "en"], 2),
    "IL": ("Haifa", "Asia/Jerusalem", "hebrew", ["he", "en"], 2),
}

# Countries nobody came from before round 12.
NEW_IN_ROUND_12 = {
    "PY": ("Encarnación", "America/Asuncion", "hispanic", ["es"], 2),
    "IS": ("Akureyri", "Atlantic/Reykjavik", "nordic", ["is", "en"], 1),
    "KZ": ("Almaty", "Asia/Almaty", "turkic", ["kk", "ru"], 2),
    "UZ": ("Samarkand", "Asia/Samarkand", "turkic", ["uz", "ru"], 2),
    "IR": ("Shiraz", "Asia/Tehran", "persian", ["fa", "en"], 2),
    "MN": ("Ulaanbaatar", "Asia/Ulaanbaatar", "mongolian", ["mn", "en"], 2),
    "FJ": ("Suva", "Pacific/Fiji", "pacific", ["en"], 2),
    "NA": ("Windhoek", "Africa/Windhoek", "southern_african", ["en", "af"], 2),
    "RW": ("Huye", "Africa/Kigali", "east_african", ["en", "fr"], 2),
}

# Kinds of workplace with their weights and how a workplace of that kind is named.
WORKPLACE_KINDS = [
    ("academic", 34, ["University of {city} Library", "{city} Institute of Technology Library"]),
    ("public", 24, ["{city} Public Library", "{city} Central Library", "Eastside Branch Library"]),
    ("school", 10, ["{city} International School", "St Clare's Secondary School"]),
    ("special", 10, ["{city} Teaching Hospital Library", "Bar Association Law Library"]),
    ("national", 5, ["National Library, {city} reading rooms"]),
    ("library_school", 5, ["{city} School of Information Studies"]),
    ("not_in_a_library", 4, ["Freelance information consultant", "{city} Book Festival"]),
    ("other", 4, ["{city} City Archives", "{city} Museum of Natural History"]),
    ("", 4, [""]),
]

ROLES = {
    "academic": ["subject librarian", "research data librarian", "systems librarian", "cataloguer"],
    "public": ["children's librarian", "branch manager", "outreach librarian", "library assistant"],
    "school": ["school librarian", "teacher librarian"],
    "special": ["clinical librarian", "law librarian", "knowledge manager"],
    "national": ["digitisation officer", "metadata specialist", "legal deposit librarian"],
    "library_school": ["lecturer", "master's student", "doctoral researcher"],
    "not_in_a_library": ["information consultant", "project coordinator"],
    "other": ["archivist", "records manager", "curator"],
    "": ["between jobs", ""],
}

DAY_TO_DAY = [
    "Answering questions at the desk, running workshops and ordering new books.",
    "Cataloguing, a lot of e-mail, and a weekly story time I would not give up.",
    "Teaching students to search databases and helping researchers manage their data.",
    "Keeping our systems running and training colleagues on new tools.",
    "Planning events, visiting schools and looking after the local history collection.",
]
CAREER_PATHS = [
    "I studied literature, volunteered in a library and never left.",
    "I came to libraries from teaching after ten years in the classroom.",
    "I worked in IT before retraining as a librarian.",
    "I started as a library assistant and studied part time for my degree.",
    "This is my first job after library school.",
]
HOPES_CAREER = [
    "I would like to lead a team one day.",
    "I hope to specialise in research support.",
    "I want to bring more community projects into my library.",
    "I would like to teach future librarians.",
    "",
]
HOPES_PARTNERSHIP = [
    "To see how libraries work in another part of the world.",
    "A critical friend to talk through ideas with.",
    "To practise my English and make a new friend.",
    "Ideas for engaging teenagers, and someone to share them with.",
    "To learn how others manage change with small budgets.",
    "Advice on moving into management.",
]
CONTACT_METHODS = ["email", "video_call", "messaging", "social_media", "phone"]
# Naming traditions whose people read the programme's e-mails in one of the demo's languages.
EMAIL_LANGUAGES = {"francophone": "fr", "hispanic": "es"}

# How enrolments end up, as weights: (accepted, applied, withdrawn).
ROUND_11_STATUSES = (226, 0, 14)
ROUND_12_STATUSES = (250, 38, 12)


@dataclass
class Person:
    name: str
    email: str
    country: str
    city: str
    time_zone: str
    languages: list
    workplace: str
    workplace_kind: str
    workplace_size: str
    role: str
    day_to_day: str
    career_path: str
    hopes_career: str
    hopes_partnership: str
    contact_frequency: str
    contact_methods: list
    # The language the programme writes to them in ("" for the site's default, English).
    language: str = ""
    # Round key ("11", "12") → enrolment status.
    enrolments: dict = field(default_factory=dict)

    def profile(self):
        """The fields of ``Participant``."""
        fields = dataclasses.asdict(self)
        del fields["enrolments"]
        return fields


def ascii_slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char if char.isalnum() else "-" for char in text.lower()).strip("-")


def make_person(rng, number, code, country):
    city, time_zone, tradition, languages, _weight = country
    given_names, family_names, family_first = NAMES[tradition]
    given, family = rng.choice(given_names), rng.choice(family_names)
    name = f"{family} {given}" if family_first else f"{given} {family}"
    kinds = [kind for kind, _w, _n in WORKPLACE_KINDS]
    kind = rng.choices(kinds, weights=[w for _k, w, _n in WORKPLACE_KINDS])[0]
    workplace_names = {k: n for k, _w, n in WORKPLACE_KINDS}[kind]
    spoken = list(languages)
    if "en" not in spoken and rng.random() < 0.6:
        spoken.append("en")
    methods = rng.sample(CONTACT_METHODS, rng.randint(1, 3))
    return Person(
        name=name,
        email=f"{ascii_slug(given)}.{ascii_slug(family)}.{number:03d}@example.org",
        country=code,
        city=city,
        time_zone=time_zone,
        languages=spoken,
        workplace=rng.choice(workplace_names).format(city=city),
        workplace_kind=kind,
        workplace_size=rng.choice(["big", "small", ""]) if kind else "",
        role=rng.choice(ROLES[kind]),
        day_to_day=rng.choice(DAY_TO_DAY),
        career_path=rng.choice(CAREER_PATHS),
        hopes_career=rng.choice(HOPES_CAREER),
        hopes_partnership=rng.choice(HOPES_PARTNERSHIP),
        contact_frequency=rng.choice(["weekly", "fortnightly"]),
        contact_methods=[m for m in CONTACT_METHODS if m in methods],
        language=EMAIL_LANGUAGES.get(tradition, ""),
    )


def status(rng, weights):
    return rng.choices(["accepted", "applied", "withdrawn"], weights=weights)[0]


def generate(seed=SEED):
    """The demo's people, each with the rounds they enrolled in and how."""
    rng = random.Random(seed)
    people = []

    # Round 11: somebody from every country of the table, then more at random.
    codes = list(COUNTRIES)
    weights = [COUNTRIES[code][4] for code in codes]
    for code in codes:
        people.append(make_person(rng, len(people) + 1, code, COUNTRIES[code]))
    while len(people) < ROUND_11_PEOPLE:
        code = rng.choices(codes, weights=weights)[0]
        people.append(make_person(rng, len(people) + 1, code, COUNTRIES[code]))
    for person in people:
        person.enrolments["11"] = status(rng, ROUND_11_STATUSES)

    # Round 12: some come back, the rest are new, a few from countries new to the programme.
    accepted_11 = [person for person in people if person.enrolments["11"] == "accepted"]
    for person in rng.sample(accepted_11, ROUND_12_RETURNING):
        person.enrolments["12"] = "accepted"
    start = len(people)
    all_countries = {**COUNTRIES, **NEW_IN_ROUND_12}
    for code in NEW_IN_ROUND_12:
        # Accepted, so that the round's figures name the new countries.
        person = make_person(rng, len(people) + 1, code, all_countries[code])
        person.enrolments["12"] = "accepted"
        people.append(person)
    start_random = len(people)
    codes = list(all_countries)
    weights = [all_countries[code][4] for code in codes]
    while len(people) < start + ROUND_12_NEW_PEOPLE:
        code = rng.choices(codes, weights=weights)[0]
        people.append(make_person(rng, len(people) + 1, code, all_countries[code]))
    for person in people[start_random:]:
        person.enrolments["12"] = status(rng, ROUND_12_STATUSES)
    return people
