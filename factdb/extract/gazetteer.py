"""What the extractor knows about actors without a record: countries with their demonyms
and capitals, the institutions named after a country, and titles that say whom a person
speaks for. Names follow the worked example's conventions (``Ministry of Foreign Affairs of
Pakistan``), so a draft lines up with a record kept by hand."""

from __future__ import annotations

from typing import NamedTuple


class Country(NamedTuple):
    name: str
    code: str
    demonyms: tuple[str, ...]
    aliases: tuple[str, ...]
    capital: str


def _countries(table: str) -> dict[str, Country]:
    found: dict[str, Country] = {}
    for row in table.strip().splitlines():
        name, code, demonyms, aliases, capital = (part.strip() for part in row.split("|"))
        found[code] = Country(
            name,
            code,
            tuple(filter(None, demonyms.split(","))),
            tuple(filter(None, aliases.split(","))),
            capital,
        )
    return found


# name | ISO code | demonyms | other names | capital
COUNTRIES = _countries(
    """
Afghanistan|AF|Afghan||Kabul
Albania|AL|Albanian||Tirana
Algeria|DZ|Algerian||Algiers
Argentina|AR|Argentine,Argentinian||Buenos Aires
Australia|AU|Australian||Canberra
Austria|AT|Austrian||Vienna
Bahrain|BH|Bahraini||Manama
Bangladesh|BD|Bangladeshi||Dhaka
Belgium|BE|Belgian||Brussels
Bosnia and Herzegovina|BA|Bosnian||Sarajevo
Bulgaria|BG|Bulgarian||Sofia
Chile|CL|Chilean||Santiago
Colombia|CO|Colombian||Bogota
Croatia|HR|Croatian||Zagreb
Cuba|CU|Cuban||Havana
Cyprus|CY|Cypriot||Nicosia
Czech Republic|CZ|Czech|Czechia|Prague
Denmark|DK|Danish||Copenhagen
Finland|FI|Finnish||Helsinki
Hungary|HU|Hungarian||Budapest
Indonesia|ID|Indonesian||Jakarta
Kenya|KE|Kenyan||Nairobi
Kosovo|XK|Kosovar||Pristina
Kuwait|KW|Kuwaiti||Kuwait City
Malaysia|MY|Malaysian||Kuala Lumpur
Mexico|MX|Mexican||Mexico City
Montenegro|ME|Montenegrin||Podgorica
Morocco|MA|Moroccan||Rabat
Myanmar|MM|Burmese|Burma|Naypyidaw
Nepal|NP|Nepali,Nepalese||Kathmandu
New Zealand|NZ||New Zealand|Wellington
Nigeria|NG|Nigerian||Abuja
North Macedonia|MK|Macedonian||Skopje
Norway|NO|Norwegian||Oslo
Oman|OM|Omani||Muscat
Philippines|PH|Filipino,Philippine|the Philippines|Manila
Portugal|PT|Portuguese||Lisbon
Romania|RO|Romanian||Bucharest
Slovakia|SK|Slovak||Bratislava
Somalia|SO|Somali||Mogadishu
South Africa|ZA|South African||Pretoria
Sri Lanka|LK|Sri Lankan||Colombo
Sweden|SE|Swedish||Stockholm
Switzerland|CH|Swiss||Bern
Taiwan|TW|Taiwanese||Taipei
Thailand|TH|Thai||Bangkok
Tunisia|TN|Tunisian||Tunis
Vietnam|VN|Vietnamese||Hanoi
Armenia|AM|Armenian||Yerevan
Azerbaijan|AZ|Azerbaijani,Azeri||Baku
Belarus|BY|Belarusian||Minsk
Brazil|BR|Brazilian||Brasilia
Canada|CA|Canadian||Ottawa
China|CN|Chinese|People's Republic of China|Beijing
Egypt|EG|Egyptian||Cairo
Estonia|EE|Estonian||Tallinn
Ethiopia|ET|Ethiopian||Addis Ababa
Burkina Faso|BF|Burkinabe||Ouagadougou
Cameroon|CM|Cameroonian||Yaounde
Chad|TD|Chadian||N'Djamena
Congo|CD|Congolese|DR Congo,Democratic Republic of the Congo|Kinshasa
Eritrea|ER|Eritrean||Asmara
Ghana|GH|Ghanaian||Accra
Mali|ML|Malian||Bamako
Niger|NE|Nigerien||Niamey
Rwanda|RW|Rwandan||Kigali
Senegal|SN|Senegalese||Dakar
South Sudan|SS|South Sudanese||Juba
Uganda|UG|Ugandan||Kampala
Zimbabwe|ZW|Zimbabwean||Harare
France|FR|French||Paris
Georgia|GE|Georgian||Tbilisi
Germany|DE|German||Berlin
Greece|GR|Greek||Athens
India|IN|Indian||New Delhi
Iran|IR|Iranian||Tehran
Iraq|IQ|Iraqi||Baghdad
Israel|IL|Israeli||Jerusalem
Italy|IT|Italian||Rome
Japan|JP|Japanese||Tokyo
Jordan|JO|Jordanian||Amman
Kazakhstan|KZ|Kazakh||Astana
Latvia|LV|Latvian||Riga
Lebanon|LB|Lebanese||Beirut
Libya|LY|Libyan||Tripoli
Lithuania|LT|Lithuanian||Vilnius
Moldova|MD|Moldovan||Chisinau
Netherlands|NL|Dutch|the Netherlands|The Hague
North Korea|KP|North Korean||Pyongyang
Pakistan|PK|Pakistani||Islamabad
Palestine|PS|Palestinian||Ramallah
Poland|PL|Polish||Warsaw
Qatar|QA|Qatari||Doha
Russia|RU|Russian|Russian Federation|Moscow
Saudi Arabia|SA|Saudi||Riyadh
Serbia|RS|Serbian,Serb||Belgrade
South Korea|KR|South Korean||Seoul
Spain|ES|Spanish||Madrid
Sudan|SD|Sudanese||Khartoum
Syria|SY|Syrian||Damascus
Turkey|TR|Turkish|Türkiye|Ankara
Ukraine|UA|Ukrainian||Kyiv
United Arab Emirates|AE|Emirati|UAE|Abu Dhabi
United Kingdom|GB|British|UK,U.K.,Britain|London
United States|US|American|US,U.S.,USA,United States of America,Washington|Washington
Venezuela|VE|Venezuelan||Caracas
Yemen|YE|Yemeni||Sanaa
"""
)


class Institution(NamedTuple):
    """An institution of a state: how articles name it, and the record name it gets."""

    key: str
    phrases: tuple[str, ...]
    template: str
    kind: str


INSTITUTIONS = (
    Institution(
        "foreign",
        (
            "Ministry of Foreign Affairs",
            "Foreign Affairs Ministry",
            "Foreign Ministry",
            "Foreign Office",
            "Ministry of External Affairs",
            "External Affairs Ministry",
            "foreign ministry",
            "foreign office",
        ),
        "Ministry of Foreign Affairs of {country}",
        "ministry",
    ),
    Institution(
        "defence",
        (
            "Ministry of Defence",
            "Ministry of Defense",
            "Defence Ministry",
            "Defense Ministry",
            "defence ministry",
            "defense ministry",
            "armed forces",
            "army",
            "military",
            "navy",
            "air force",
        ),
        "Ministry of Defence of {country}",
        "ministry",
    ),
    Institution(
        "government",
        (
            "government",
            "Government",
            "presidency",
            "Presidency",
            "cabinet",
            "Cabinet",
            "coast guard",
        ),
        "{country}",
        "state",
    ),
)
# Institutions whose name says their country
NAMED_INSTITUTIONS: dict[str, tuple[str, str, str]] = {
    "State Department": ("US", "foreign", "United States Department of State"),
    "Department of State": ("US", "foreign", "United States Department of State"),
    "Pentagon": ("US", "defence", "United States Department of Defense"),
    "Department of Defense": ("US", "defence", "United States Department of Defense"),
}
INSTITUTION_PLURALS = {
    "foreign ministries": "foreign",
    "Foreign Ministries": "foreign",
    "defence ministries": "defence",
    "defense ministries": "defence",
    "governments": "government",
}

# title → (role, the institution key the holder speaks for; "government" is the state)
TITLES: dict[str, tuple[str, str]] = {
    "Prime Minister": ("Prime Minister", "government"),
    "PM": ("Prime Minister", "government"),
    "Premier": ("Prime Minister", "government"),
    "President": ("President", "government"),
    "Vice President": ("Vice President", "government"),
    "Chancellor": ("Chancellor", "government"),
    "Foreign Minister": ("Foreign Minister", "foreign"),
    "Minister of Foreign Affairs": ("Foreign Minister", "foreign"),
    "Foreign Secretary": ("Foreign Secretary", "foreign"),
    "External Affairs Minister": ("Foreign Minister", "foreign"),
    "Secretary of State": ("Secretary of State", "foreign"),
    "Deputy Foreign Minister": ("Deputy Foreign Minister", "foreign"),
    "Defence Minister": ("Defence Minister", "defence"),
    "Defense Minister": ("Defence Minister", "defence"),
    "Defense Secretary": ("Defence Secretary", "defence"),
    "presidential spokesman": ("Spokesperson", "government"),
    "presidential spokeswoman": ("Spokesperson", "government"),
    "Kremlin spokesman": ("Spokesperson", "government"),
    "government spokesman": ("Spokesperson", "government"),
    "government spokeswoman": ("Spokesperson", "government"),
    "official": ("Official", "government"),
    "leader": ("Leader", "government"),
    "commander": ("Commander", "defence"),
    "Ambassador": ("Ambassador", "foreign"),
    "ambassador": ("Ambassador", "foreign"),
    "envoy": ("Envoy", "foreign"),
    "Envoy": ("Envoy", "foreign"),
    "Foreign Office spokesperson": ("Spokesperson", "foreign"),
    "Foreign Office spokesman": ("Spokesperson", "foreign"),
    "Foreign Office spokeswoman": ("Spokesperson", "foreign"),
    "Foreign Ministry spokesperson": ("Spokesperson", "foreign"),
    "Foreign Ministry spokesman": ("Spokesperson", "foreign"),
    "Foreign Ministry spokeswoman": ("Spokesperson", "foreign"),
    "foreign ministry spokesperson": ("Spokesperson", "foreign"),
    "foreign ministry spokesman": ("Spokesperson", "foreign"),
    "foreign ministry spokeswoman": ("Spokesperson", "foreign"),
    "Defence Ministry spokesman": ("Spokesperson", "defence"),
    "Defense Ministry spokesman": ("Spokesperson", "defence"),
    "defence ministry spokesman": ("Spokesperson", "defence"),
    "defence ministry spokeswoman": ("Spokesperson", "defence"),
    "Defence Ministry spokeswoman": ("Spokesperson", "defence"),
}

# Bodies that are actors in their own right (not a state's institution)
ORGANIZATIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "United Nations": ("international_org", "", ("UN", "U.N.")),
    "UN Security Council": ("international_org", "", ("United Nations Security Council",)),
    "European Union": ("international_org", "", ("EU", "E.U.")),
    "NATO": ("international_org", "", ("North Atlantic Treaty Organization",)),
    "OSCE Minsk Group": ("international_org", "", ()),
    "Kremlin": ("organization", "RU", ("the Kremlin",)),
    "Human Rights Watch": ("organization", "", ()),
    "Amnesty International": ("organization", "", ()),
    "International Committee of the Red Cross": ("organization", "", ("ICRC", "Red Cross")),
    "Hamas": ("armed_group", "", ()),
    "Hezbollah": ("armed_group", "", ()),
}
