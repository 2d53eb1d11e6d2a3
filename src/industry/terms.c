/* terms.c: the small tables around the official index: NAICS sector
 * titles, the schema.org types that settle a trade (schema.org's
 * LocalBusiness subtypes name trades the way NAICS does, but no official
 * crosswalk exists), and broad terms users write in an industry focus
 * ("SaaS", "Home services") that the 2012 index predates or lacks. */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/str.h"
#include "industry/industry_int.h"

/* The 20 NAICS sectors, by their official titles. */
static const struct {
    const char *code, *title;
} sectors[] = {
    {"11", "Agriculture, Forestry, Fishing and Hunting"},
    {"21", "Mining, Quarrying, and Oil and Gas Extraction"},
    {"22", "Utilities"},
    {"23", "Construction"},
    {"31", "Manufacturing"},
    {"42", "Wholesale Trade"},
    {"44", "Retail Trade"},
    {"48", "Transportation and Warehousing"},
    {"51", "Information"},
    {"52", "Finance and Insurance"},
    {"53", "Real Estate and Rental and Leasing"},
    {"54", "Professional, Scientific, and Technical Services"},
    {"55", "Management of Companies and Enterprises"},
    {"56", "Administrative and Support and Waste Management and Remediation Services"},
    {"61", "Educational Services"},
    {"62", "Health Care and Social Assistance"},
    {"71", "Arts, Entertainment, and Recreation"},
    {"72", "Accommodation and Food Services"},
    {"81", "Other Services (except Public Administration)"},
    {"92", "Public Administration"},
};

void industry__sector_of(const char *code, char out[3])
{
    out[0] = code[0];
    out[1] = code[1];
    out[2] = '\0';
    if (!strcmp(out, "32") || !strcmp(out, "33"))
        memcpy(out, "31", 3);
    else if (!strcmp(out, "45"))
        memcpy(out, "44", 3);
    else if (!strcmp(out, "49"))
        memcpy(out, "48", 3);
}

const char *industry__sector_title(const char *two)
{
    for (size_t i = 0; i < sizeof sectors / sizeof *sectors; i++)
        if (strcmp(sectors[i].code, two) == 0)
            return sectors[i].title;
    return "";
}

const char *industry_sector(const char *code)
{
    if (!code || strlen(code) < 2)
        return "";
    char two[3];
    industry__sector_of(code, two);
    return industry__sector_title(two);
}

/* schema.org types and the NAICS 2012 code of the trade each names. */
static const struct {
    const char *type, *code;
} schema_types[] = {
    {"AccountingService", "541211"},
    {"AmusementPark", "713110"},
    {"ArtGallery", "453920"},
    {"Attorney", "541110"},
    {"AutoBodyShop", "811121"},
    {"AutoDealer", "441110"},
    {"AutoPartsStore", "441310"},
    {"AutoRental", "532111"},
    {"AutoRepair", "811111"},
    {"AutoWash", "811192"},
    {"Bakery", "311811"},
    {"BankOrCreditUnion", "522110"},
    {"BarOrPub", "722410"},
    {"BeautySalon", "812112"},
    {"BedAndBreakfast", "721191"},
    {"BikeStore", "451110"},
    {"BookStore", "451211"},
    {"BowlingAlley", "713950"},
    {"Brewery", "312120"},
    {"CafeOrCoffeeShop", "722515"},
    {"Campground", "721211"},
    {"Casino", "713210"},
    {"ChildCare", "624410"},
    {"ClothingStore", "448140"},
    {"CollegeOrUniversity", "611310"},
    {"ComputerStore", "443142"},
    {"ConvenienceStore", "445120"},
    {"DaySpa", "812199"},
    {"Dentist", "621210"},
    {"DepartmentStore", "452111"},
    {"DiagnosticLab", "621511"},
    {"Distillery", "312140"},
    {"DryCleaningOrLaundry", "812320"},
    {"Electrician", "238210"},
    {"ElectronicsStore", "443142"},
    {"ElementarySchool", "611110"},
    {"EmploymentAgency", "561311"},
    {"ExerciseGym", "713940"},
    {"FastFoodRestaurant", "722513"},
    {"Florist", "453110"},
    {"FurnitureStore", "442110"},
    {"GardenStore", "444220"},
    {"GasStation", "447110"},
    {"GeneralContractor", "236118"},
    {"GolfCourse", "713910"},
    {"GovernmentOffice", "921190"},
    {"GroceryStore", "445110"},
    {"HVACBusiness", "238220"},
    {"HairSalon", "812112"},
    {"HardwareStore", "444130"},
    {"HealthClub", "713940"},
    {"HighSchool", "611110"},
    {"HobbyShop", "451120"},
    {"HomeGoodsStore", "442299"},
    {"Hospital", "622110"},
    {"Hostel", "721199"},
    {"Hotel", "721110"},
    {"HousePainter", "238320"},
    {"IceCreamShop", "722515"},
    {"InsuranceAgency", "524210"},
    {"JewelryStore", "448310"},
    {"LegalService", "541110"},
    {"Library", "519120"},
    {"LiquorStore", "445310"},
    {"Locksmith", "561622"},
    {"MedicalClinic", "621111"},
    {"MensClothingStore", "448110"},
    {"MobileApplication", "511210"},
    {"MobilePhoneStore", "443142"},
    {"Motel", "721110"},
    {"MotorcycleDealer", "441228"},
    {"MotorcycleRepair", "811490"},
    {"MovieTheater", "512131"},
    {"MovingCompany", "484210"},
    {"MusicStore", "451140"},
    {"NailSalon", "812113"},
    {"NightClub", "722410"},
    {"Notary", "541199"}, /* the index files notaries here, not under 541120 */
    {"OfficeEquipmentStore", "453210"},
    {"Optician", "446130"},
    {"PawnShop", "522298"},
    {"PetStore", "453910"},
    {"Pharmacy", "446110"},
    {"Physician", "621111"},
    {"Physiotherapy", "621340"},
    {"Plumber", "238220"},
    {"PostOffice", "491110"},
    {"Preschool", "624410"},
    {"RadioStation", "515112"},
    {"RealEstateAgent", "531210"},
    {"RecyclingCenter", "562920"},
    {"Resort", "721110"},
    {"Restaurant", "722511"},
    {"RoofingContractor", "238160"},
    {"School", "611110"},
    {"SelfStorage", "531130"},
    {"ShoeStore", "448210"},
    {"ShoppingCenter", "531120"},
    {"SkiResort", "713920"},
    {"SoftwareApplication", "511210"},
    {"SportingGoodsStore", "451110"},
    {"StadiumOrArena", "711310"},
    {"TattooParlor", "812199"},
    {"TelevisionStation", "515120"},
    {"TireShop", "441320"},
    {"TouristInformationCenter", "561591"},
    {"ToyStore", "451120"},
    {"TravelAgency", "561510"},
    {"VeterinaryCare", "541940"},
    {"WebApplication", "511210"},
    {"Winery", "312130"},
};

const char *industry__schema_type(size_t i)
{
    return i < sizeof schema_types / sizeof *schema_types ? schema_types[i].type : NULL;
}

const char *industry__schema_code(const char *type)
{
    const char *base = strrchr(type, '/'); /* "https://schema.org/Plumber" */
    base = base ? base + 1 : type;
    size_t lo = 0, hi = sizeof schema_types / sizeof *schema_types;
    while (lo < hi) { /* the table is sorted by type, in strcmp's order */
        size_t mid = (lo + hi) / 2;
        int c = strcmp(schema_types[mid].type, base);
        if (c == 0)
            return schema_types[mid].code;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Broad terms of industry focus lists, as whole words (lower case), and the
 * branches of the code tree they cover, '|'-separated. Sector titles are
 * matched by their own words below. */
static const struct {
    const char *words, *codes;
} broad[] = {
    {"technology", "5112|5182|5191|5415"},
    {"tech", "5112|5182|5191|5415"},
    {"it", "5415|5182"},
    {"software", "5112|5415|5182"},
    {"saas", "5112|5182|5415"},
    {"cloud", "5182|5112"},
    {"cybersecurity", "5415|5112"},
    {"consulting", "5416|5415"},
    {"it consulting", "5415"},
    {"it services", "5415"},
    {"management consulting", "5416"},
    {"consultancy", "5416|5415"},
    {"marketing", "5418|541613"},
    {"advertising", "5418"},
    {"data analytics", "5415|5182|5416"},
    {"analytics", "5415|5182|5416"},
    {"ai", "5415|5112|5417"},
    {"home services", "238|5617|8114|2361"},
    {"trades", "238"},
    {"healthcare", "621|622|623"}, /* sector 62 holds social assistance too */
    {"health", "621|622|623"},
    {"medical", "621|622"},
    {"clinics", "621"},
    {"dental", "6212"},
    {"hospitality", "72"},
    {"restaurants", "7225"},
    {"food service", "7225"},
    {"legal", "5411"},
    {"lawyers", "5411"},
    {"attorneys", "5411"},
    {"personal injury", "5411"},
    {"law", "5411"},
    {"accounting", "5412"},
    {"financial services", "52|5412"},
    {"fintech", "52|5112"},
    {"banking", "5221"},
    {"insurance", "524"},
    {"real estate", "53"},
    {"property", "531"},
    {"logistics", "48|4931"},
    {"transportation", "48"},
    {"freight", "484|4885"},
    {"retail", "44"},
    {"ecommerce", "4541|44"},
    {"e commerce", "4541|44"}, /* "e-commerce", as tokens arrive */
    {"manufacturing", "31"},
    {"industrial", "31"},
    {"construction", "23"},
    {"education", "61"},
    {"edtech", "61|5112"},
    {"automotive", "441|8111|811192"},
    {"nonprofit", "813"},
    {"non profit", "813"},
    {"charity", "813"},
    {"government", "92"},
    {"public sector", "92"},
    {"energy", "22|2211"},
    {"utilities", "22"},
    {"agriculture", "11"},
    {"wholesale", "42"},
    {"distribution", "42|4931"},
    {"telecom", "517"},
    {"telecommunications", "517"},
    {"media", "511|512|515|519"},
    {"staffing", "5613"},
    {"recruiting", "5613"},
    {"fitness", "713940|812191"},
    {"gyms", "713940"},
    {"movers", "484210"},
    {"moving", "484210"},
    {"beauty", "8121"},
    {"wellness", "8121|621|713940"},
    {"professional services", "54"},
    {"pharma", "3254"},
    {"biotech", "5417|3254"},
};

/* Marks in seen[] every place where words (lower case, may hold spaces)
 * stand in s as whole words; whether there was one. */
static bool mark_words(const char *s, const char *words, bool *seen)
{
    size_t n = strlen(words);
    bool any = false;
    for (const char *p = s; (p = strcasestr(p, words)) != NULL; p++) {
        bool left = p == s || !isalnum((unsigned char)p[-1]);
        bool right = !isalnum((unsigned char)p[n]);
        bool taken = seen && seen[p - s] && seen[p - s + n - 1];
        if (left && right && !taken) {
            any = true;
            if (seen)
                memset(seen + (p - s), 1, n);
        }
    }
    return any;
}

static size_t add(struct industry_code *out, size_t n, size_t max, const char *code, size_t len)
{
    if (n >= max || len < 2 || len > 6)
        return n;
    for (size_t i = 0; i < n; i++)
        if (strlen(out[i].code) == len && strncmp(out[i].code, code, len) == 0)
            return n;
    memcpy(out[n].code, code, len);
    out[n].code[len] = '\0';
    out[n].score = 1.0;
    out[n].phrase = "";
    return n + 1;
}

#define NBROAD (sizeof broad / sizeof *broad)
static size_t order[NBROAD]; /* broad's indexes, longer terms first */
static pthread_once_t order_once = PTHREAD_ONCE_INIT;

static void order_broad(void)
{
    for (size_t i = 0; i < NBROAD; i++)
        order[i] = i;
    for (size_t a = 1; a < NBROAD; a++) /* insertion sort: stable, the table's order on ties */
        for (size_t b = a;
             b > 0 && strlen(broad[order[b]].words) > strlen(broad[order[b - 1]].words); b--) {
            size_t t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
}

size_t industry__broad(const char *phrase, struct industry_code *out, size_t max, bool *whole)
{
    size_t n = 0, len = strlen(phrase);
    bool *seen = xcalloc(len + 1, 1);
    /* longer terms first; a word a longer term took ("it consulting") is
     * not taken again by a shorter one ("consulting") */
    pthread_once(&order_once, order_broad);
    for (size_t o = 0; o < NBROAD; o++) {
        size_t i = order[o];
        if (!mark_words(phrase, broad[i].words, seen))
            continue;
        for (const char *c = broad[i].codes; *c;) {
            size_t k = strcspn(c, "|");
            n = add(out, n, max, c, k);
            c += k + (c[k] == '|');
        }
    }
    /* "Retail Trade", "Manufacturing", "Health Care": a sector by its title,
     * or by the title's first words when they say enough. */
    for (size_t i = 0; i < sizeof sectors / sizeof *sectors; i++) {
        const char *t = sectors[i].title;
        char head[64];
        size_t k = strcspn(t, ",(");
        if (k >= sizeof head)
            k = sizeof head - 1;
        memcpy(head, t, k);
        head[k] = '\0';
        char *and = strstr(head, " and ");
        if (and&&strncmp(t, "Real Estate", 11) && strncmp(t, "Health Care", 11))
            *and = '\0'; /* "Transportation and Warehousing": "Transportation" */
        while (*head && head[strlen(head) - 1] == ' ')
            head[strlen(head) - 1] = '\0';
        if (strlen(head) >= 4 && mark_words(phrase, head, seen))
            n = add(out, n, max, sectors[i].code, 2);
    }
    if (whole) {
        *whole = n > 0;
        for (size_t i = 0; i < len && *whole; i++)
            *whole = seen[i] || !isalnum((unsigned char)phrase[i]);
    }
    free(seen);
    return n;
}
