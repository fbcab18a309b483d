"""Country names for letter addresses: canonical names, synonyms and loose matching.

Behaviour: Postal addresses; Postage.

Canonical names follow the GOV.UK country and territory registers, plus the islands Royal Mail
prices separately. Each data line is ``Canonical | synonym | ...``; Welsh names are a sample.
"""

from __future__ import annotations

import re
import unicodedata

UNITED_KINGDOM = "United Kingdom"

# Everything a trailing address line may say to mean the UK, Crown dependencies included.
_UNITED_KINGDOM_NAMES = """
United Kingdom | UK | U.K. | GB | G.B. | Great Britain | Britain | United Kingdom of Great Britain
| United Kingdom of Great Britain and Northern Ireland | Great Britain and Northern Ireland
| England | Wales | Cymru | Scotland | Northern Ireland | Y Deyrnas Unedig | Prydain Fawr
| Lloegr | Yr Alban | Gogledd Iwerddon | Jersey | Guernsey | Alderney | Sark | Herm
| Isle of Man | Channel Islands | Bailiwick of Jersey | Bailiwick of Guernsey
"""

_SOVEREIGN_STATES = """
Afghanistan
Albania | Shqipëria
Algeria
Andorra
Angola
Antigua and Barbuda
Argentina
Armenia
Australia | Awstralia
Austria | Österreich | Awstria
Azerbaijan
Bahrain
Bangladesh
Barbados
Belarus | Byelorussia
Belgium | België | Belgique | Gwlad Belg
Belize
Benin
Bhutan
Bolivia
Bosnia and Herzegovina | Bosnia | Bosnia Herzegovina
Botswana
Brazil | Brasil
Brunei | Brunei Darussalam
Bulgaria
Burkina Faso
Burundi
Cambodia
Cameroon
Canada
Cape Verde | Cabo Verde
Central African Republic
Chad
Chile
China | People's Republic of China | PRC
Colombia
Comoros
Congo | Republic of the Congo | Congo Brazzaville
Congo (Democratic Republic) | Democratic Republic of the Congo | DRC | DR Congo | Congo Kinshasa
Costa Rica
Croatia | Hrvatska
Cuba
Cyprus
Czechia | Czech Republic | Česko | Česká republika
Denmark | Danmark | Denmarc
Djibouti
Dominica
Dominican Republic
East Timor | Timor-Leste
Ecuador
Egypt
El Salvador
Equatorial Guinea
Eritrea
Estonia | Eesti
Eswatini | Swaziland
Ethiopia
Fiji
Finland | Suomi | Y Ffindir
France | Ffrainc | République française
Gabon
Georgia
Germany | Deutschland | Federal Republic of Germany | Yr Almaen
Ghana
Greece | Hellas | Gwlad Groeg
Grenada
Guatemala
Guinea
Guinea-Bissau
Guyana
Haiti
Honduras
Hungary | Magyarország | Hwngari
Iceland | Ísland | Gwlad yr Iâ
India | Bharat
Indonesia
Iran | Islamic Republic of Iran | Iran Islamic Republic of
Iraq
Ireland | Republic of Ireland | Eire | Éire | Iwerddon | Irish Republic
Israel
Italy | Italia | Yr Eidal
Ivory Coast | Côte d'Ivoire | Cote d Ivoire
Jamaica
Japan | Nippon | Siapan
Jordan
Kazakhstan
Kenya
Kiribati
Kosovo
Kuwait
Kyrgyzstan | Kyrgyz Republic
Laos | Lao PDR | Lao People's Democratic Republic
Latvia | Latvija
Lebanon
Lesotho
Liberia
Libya
Liechtenstein
Lithuania | Lietuva
Luxembourg | Lwcsembwrg
Madagascar
Malawi
Malaysia
Maldives
Mali
Malta
Marshall Islands
Mauritania
Mauritius
Mexico
Micronesia | Federated States of Micronesia | Micronesia Federated States of
Moldova | Republic of Moldova | Moldova Republic of
Monaco
Mongolia
Montenegro
Morocco
Mozambique
Myanmar (Burma) | Myanmar | Burma
Namibia
Nauru
Nepal
Netherlands | Holland | Nederland | Kingdom of the Netherlands | Yr Iseldiroedd
New Zealand | Aotearoa | Seland Newydd
Nicaragua
Niger
Nigeria
North Korea | Democratic People's Republic of Korea | DPRK | Korea DPR
North Macedonia | Macedonia | Republic of North Macedonia | FYROM
Norway | Norge | Noreg | Norwy
Oman
Pakistan
Palau
Panama
Papua New Guinea
Paraguay
Peru
Philippines
Poland | Polska | Gwlad Pwyl
Portugal | Portiwgal
Qatar
Romania | Rwmania
Russia | Russian Federation | Rwsia
Rwanda
St Kitts and Nevis | Saint Kitts and Nevis | St Christopher and Nevis
St Lucia | Saint Lucia
St Vincent | Saint Vincent | St Vincent and the Grenadines | Saint Vincent and the Grenadines
Samoa
San Marino
Sao Tome and Principe | São Tomé and Príncipe
Saudi Arabia | KSA
Senegal
Serbia
Seychelles
Sierra Leone
Singapore
Slovakia | Slovak Republic
Slovenia
Solomon Islands
Somalia
South Africa | RSA | De Affrica
South Korea | Korea | Republic of Korea | Korea Republic of
South Sudan
Spain | España | Sbaen
Sri Lanka
Sudan
Suriname
Sweden | Sverige | Kingdom of Sweden
Switzerland | Schweiz | Suisse | Svizzera | Swistir
Syria | Syrian Arab Republic
Tajikistan
Tanzania | United Republic of Tanzania
Thailand
The Bahamas | Commonwealth of the Bahamas
The Gambia | Republic of the Gambia
Togo
Tonga
Trinidad and Tobago
Tunisia
Turkey | Türkiye | Twrci
Turkmenistan
Tuvalu
Uganda
Ukraine | Wcráin
United Arab Emirates | UAE | U.A.E.
United States | USA | U.S.A. | US | U.S. | United States of America | America
| Yr Unol Daleithiau | UDA
Uruguay
Uzbekistan
Vanuatu
Vatican City | Holy See | Vatican | Vatican City State
Venezuela
Vietnam | Viet Nam
Yemen
Zambia
Zimbabwe
"""

_TERRITORIES = """
Akrotiri
Åland Islands | Aland
American Samoa
Anguilla
Antarctica
Aruba
Ascension Island | Ascension
Azores | Açores
Balearic Islands | Balearics | Islas Baleares | Mallorca | Majorca | Menorca | Ibiza
Bermuda
Bonaire
Bouvet Island
British Antarctic Territory
British Indian Ocean Territory | BIOT
British Virgin Islands | BVI | Virgin Islands British
Canary Islands | Canaries | Islas Canarias | Tenerife | Gran Canaria | Lanzarote
Cayman Islands
Ceuta
Christmas Island
Cocos (Keeling) Islands | Cocos Islands
Cook Islands
Corsica | Corse
Curaçao
Dhekelia
Falkland Islands | Falklands | Islas Malvinas
Faroe Islands | Faroes | Føroyar
French Guiana
French Polynesia | Tahiti
French Southern Territories
Gibraltar
Greenland | Kalaallit Nunaat
Guadeloupe
Guam
Heard Island and McDonald Islands
Hong Kong
Macao | Macau
Madeira
Martinique
Mayotte
Melilla
Montserrat
New Caledonia
Niue
Norfolk Island
Northern Mariana Islands
Occupied Palestinian Territories | Palestine | Palestinian Territories | West Bank | Gaza
Pitcairn, Henderson, Ducie and Oeno Islands | Pitcairn Islands | Pitcairn
Puerto Rico
Réunion
Saba
St Barthélemy | Saint Barthélemy | St Barts
St Helena | Saint Helena
St Martin | Saint Martin
St Pierre & Miquelon | Saint Pierre and Miquelon
Sint Eustatius
Sint Maarten
South Georgia and South Sandwich Islands
Svalbard and Jan Mayen | Svalbard
Taiwan | Republic of China
Tokelau
Tristan da Cunha
Turks and Caicos Islands
United States Virgin Islands | US Virgin Islands | USVI | Virgin Islands US
US Minor Outlying Islands | United States Minor Outlying Islands
Wallis and Futuna
Western Sahara
"""

# Royal Mail's European list (behaviour: Postage); everything else international is rest of world.
EUROPEAN_COUNTRIES: frozenset[str] = frozenset(
    {
        *("Albania", "Andorra", "Armenia", "Austria", "Azerbaijan", "Azores"),
        *("Balearic Islands", "Belarus", "Belgium", "Bosnia and Herzegovina", "Bulgaria"),
        *("Canary Islands", "Corsica", "Croatia", "Cyprus", "Czechia", "Denmark", "Estonia"),
        *("Faroe Islands", "Finland", "France", "Georgia", "Germany", "Gibraltar", "Greece"),
        *("Greenland", "Hungary", "Iceland", "Ireland", "Italy", "Kazakhstan", "Kosovo"),
        *("Kyrgyzstan", "Latvia", "Liechtenstein", "Lithuania", "Luxembourg"),
        *("North Macedonia", "Madeira", "Malta", "Moldova", "Monaco", "Montenegro"),
        *("Netherlands", "Norway", "Poland", "Portugal", "Romania", "Russia", "San Marino"),
        *("Serbia", "Slovakia", "Slovenia", "Spain", "Sweden", "Switzerland", "Tajikistan"),
        *("Turkey", "Turkmenistan", "Ukraine", "Uzbekistan", "Vatican City"),
    }
)

_IGNORED_PUNCTUATION = re.compile(r"[_\-'’,.()]")
_LEADING_THE = re.compile(r"^the\s+")


def country_key(text: str) -> str:
    """The loose form names are compared in: no case, accents, spaces or listed punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    spaced = _IGNORED_PUNCTUATION.sub(" ", letters.replace("&", " and ").replace("+", " and "))
    # Dropping "the" on both sides lets "Gambia" find "The Gambia" and the reverse.
    without_the = _LEADING_THE.sub("", " ".join(spaced.split()))
    return without_the.replace(" ", "")


def _parse_table(table: str) -> dict[str, str]:
    """Map every name's key to the canonical (first) name of its entry."""
    names_by_key: dict[str, str] = {}
    for entry in table.strip().replace("\n|", " |").splitlines():
        names = [name.strip() for name in entry.split("|")]
        for name in names:
            names_by_key[country_key(name)] = names[0]
    return names_by_key


COUNTRIES_BY_KEY: dict[str, str] = {
    **_parse_table(_SOVEREIGN_STATES),
    **_parse_table(_TERRITORIES),
    **{key: UNITED_KINGDOM for key in _parse_table(_UNITED_KINGDOM_NAMES)},
}

COUNTRY_NAMES: frozenset[str] = frozenset(COUNTRIES_BY_KEY.values())
