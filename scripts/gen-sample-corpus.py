#!/usr/bin/env python3
"""gen-sample-corpus.py OUTDIR: writes Prospect's sample corpus.

Fictional companies on reserved domain names (RFC 2606: .example), each a
small multi-page site, plus directory, news, job-board and social pages that
are not leads. Deterministic: the same script writes the same bytes every
time (fixed seed, no clock, no locale), so tests and quality figures are
reproducible. Writes:

  OUTDIR/<site>/<page>.html   the pages
  OUTDIR/manifest.tsv         relative path <TAB> URL, for `prospect index`
  OUTDIR/labels.json          ground truth: each company's facts, the
                              non-lead sites, and which companies fit each
                              example business context in examples/

Every page says in a meta tag and in its footer that it is fictional.
Options: --companies N (default 420) scales the corpus (the benchmark uses
tens of thousands).
"""

import argparse
import html
import json
import os
import random
import sys

SEED = 20261124

COUNTRIES = {
    "US": {"name": "United States", "cc": "1", "share": 26, "cities": [
        ("San Francisco", "CA", "415", "94103"), ("Austin", "TX", "512", "78701"),
        ("Denver", "CO", "303", "80202"), ("Chicago", "IL", "312", "60601"),
        ("Boston", "MA", "617", "02110"), ("Seattle", "WA", "206", "98101"),
        ("Atlanta", "GA", "404", "30303"), ("New York", "NY", "212", "10001")]},
    "CA": {"name": "Canada", "cc": "1", "share": 12, "cities": [
        ("Toronto", "ON", "416", "M5V 2T6"), ("Vancouver", "BC", "604", "V6B 1A1"),
        ("Montreal", "QC", "514", "H2Y 1C6"), ("Calgary", "AB", "403", "T2P 1J9")]},
    "GB": {"name": "United Kingdom", "cc": "44", "share": 13, "cities": [
        ("London", "", "20", "EC1A 1BB"), ("Manchester", "", "161", "M1 1AE"),
        ("Leeds", "", "113", "LS1 4AP"), ("Bristol", "", "117", "BS1 5TR")]},
    "DE": {"name": "Germany", "cc": "49", "share": 11, "cities": [
        ("Berlin", "", "30", "10115"), ("Munich", "", "89", "80331"),
        ("Hamburg", "", "40", "20095"), ("Cologne", "", "221", "50667")]},
    "NL": {"name": "Netherlands", "cc": "31", "share": 8, "cities": [
        ("Amsterdam", "", "20", "1012 AB"), ("Rotterdam", "", "10", "3011 AD"),
        ("Utrecht", "", "30", "3511 AX")]},
    "FR": {"name": "France", "cc": "33", "share": 7, "cities": [
        ("Paris", "", "1", "75002"), ("Lyon", "", "4", "69002"), ("Lille", "", "3", "59000")]},
    "AU": {"name": "Australia", "cc": "61", "share": 7, "cities": [
        ("Sydney", "NSW", "2", "2000"), ("Melbourne", "VIC", "3", "3000"),
        ("Brisbane", "QLD", "7", "4000")]},
    "IE": {"name": "Ireland", "cc": "353", "share": 6, "cities": [
        ("Dublin", "", "1", "D02 X285"), ("Cork", "", "21", "T12 RX2C")]},
    "ES": {"name": "Spain", "cc": "34", "share": 5, "cities": [
        ("Madrid", "", "91", "28013"), ("Barcelona", "", "93", "08002")]},
    "SE": {"name": "Sweden", "cc": "46", "share": 5, "cities": [
        ("Stockholm", "", "8", "111 52"), ("Gothenburg", "", "31", "411 05")]},
}

STREETS = {
    "US": ["Market Street", "Main Street", "Congress Avenue", "Pine Street", "Harbor Drive",
           "Elm Street", "Lake Shore Drive", "Peachtree Road"],
    "CA": ["King Street West", "Granville Street", "Rue Saint-Paul", "Bay Street", "Main Street"],
    "GB": ["High Street", "Station Road", "Deansgate", "Park Row", "Victoria Street"],
    "DE": ["Hauptstraße", "Friedrichstraße", "Marienplatz", "Schillerstraße", "Bahnhofstraße"],
    "NL": ["Keizersgracht", "Coolsingel", "Oudegracht", "Damrak", "Stationsplein"],
    "FR": ["Rue de Rivoli", "Rue de la République", "Boulevard Haussmann", "Rue Nationale"],
    "AU": ["George Street", "Collins Street", "Queen Street", "Pitt Street"],
    "IE": ["Grafton Street", "Patrick Street", "Baggot Street", "Dame Street"],
    "ES": ["Calle Mayor", "Gran Vía", "Passeig de Gràcia", "Calle de Alcalá"],
    "SE": ["Drottninggatan", "Kungsgatan", "Vasagatan", "Avenyn"],
}

# industry key -> (label, name suffixes, what they do, services, size range)
INDUSTRIES = {
    "saas": ("Software", ["Labs", "Software", "Cloud", "Apps", "Systems", "HQ"],
             "builds {what} software for {who}",
             ["subscription analytics platform", "project management app", "HR software",
              "booking platform", "inventory software", "developer tools"], (6, 180)),
    "it": ("IT Services", ["IT", "Tech", "Digital", "Networks", "Solutions"],
           "provides managed IT services and {what} for {who}",
           ["cloud migration", "network support", "helpdesk outsourcing", "cybersecurity audits",
            "Microsoft 365 administration"], (8, 150)),
    "consulting": ("Management Consulting", ["Consulting", "Partners", "Advisory", "Group"],
                   "advises {who} on {what}",
                   ["operations strategy", "growth strategy", "digital transformation",
                    "pricing", "change management"], (5, 120)),
    "marketing": ("Marketing Agency", ["Creative", "Media", "Studio", "Agency"],
                  "is a marketing agency offering {what} for {who}",
                  ["SEO and content", "paid social campaigns", "brand design", "web design"],
                  (4, 90)),
    "clinic": ("Healthcare", ["Health", "Medical Group", "Clinic", "Family Practice"],
               "runs outpatient clinics offering {what} for {who}",
               ["primary care", "physiotherapy", "paediatrics", "dermatology", "urgent care"],
               (12, 260)),
    "dental": ("Dental", ["Dental", "Dentistry", "Smiles", "Dental Care"],
               "is a dental practice offering {what} for {who}",
               ["general dentistry", "orthodontics", "implants", "cosmetic dentistry"], (8, 90)),
    "logistics": ("Logistics", ["Logistics", "Freight", "Transport", "Couriers", "Haulage"],
                  "moves goods for {who}, specialising in {what}",
                  ["same-day courier", "pallet distribution", "cold-chain transport",
                   "last-mile delivery", "warehousing"], (20, 600)),
    "wholesale": ("Wholesale Distribution", ["Supply", "Wholesale", "Distributors", "Trading"],
                  "distributes {what} to {who}",
                  ["building materials", "office supplies", "industrial parts",
                   "cleaning products", "electrical components"], (15, 450)),
    "food": ("Food & Beverage", ["Foods", "Bakery", "Brewing", "Kitchens", "Dairy"],
             "produces {what} for {who}",
             ["artisan bread", "craft beer", "ready meals", "organic dairy", "coffee roasts"],
             (10, 400)),
    "manufacturing": ("Manufacturing", ["Industries", "Manufacturing", "Works", "Engineering"],
                      "manufactures {what} for {who}",
                      ["precision metal parts", "plastic injection mouldings", "CNC components",
                       "packaging machinery"], (25, 800)),
    "construction": ("Construction", ["Builders", "Construction", "Contracting", "Build"],
                     "delivers {what} for {who}",
                     ["commercial fit-outs", "residential extensions", "civil works",
                      "roofing"], (10, 300)),
    "realestate": ("Real Estate", ["Properties", "Realty", "Estates", "Homes"],
                   "manages {what} for {who}",
                   ["residential lettings", "commercial property", "property sales"], (5, 80)),
    "legal": ("Legal Services", ["Law", "Legal", "Solicitors", "& Associates"],
              "is a law firm specialising in {what} for {who}",
              ["employment law", "commercial contracts", "immigration law", "family law"],
              (4, 120)),
    "accounting": ("Accounting", ["Accounting", "Accountants", "Tax", "Bookkeeping"],
                   "provides {what} for {who}",
                   ["bookkeeping and payroll", "tax advisory", "audit services",
                    "fractional CFO services"], (4, 100)),
    "ecommerce": ("Retail & E-commerce", ["Shop", "Store", "Goods", "Outfitters"],
                  "sells {what} online to {who}",
                  ["outdoor gear", "home decor", "pet supplies", "skincare", "bicycles"],
                  (3, 150)),
    "education": ("Education", ["Academy", "Learning", "Institute", "Training"],
                  "offers {what} for {who}",
                  ["professional training courses", "language classes", "coding bootcamps",
                   "tutoring"], (5, 200)),
    "hospitality": ("Hospitality", ["Hotels", "Inn", "Hospitality", "Resorts"],
                    "operates {what} for {who}",
                    ["boutique hotels", "conference venues", "guest houses"], (10, 350)),
    "energy": ("Energy", ["Energy", "Solar", "Power", "Renewables"],
               "installs {what} for {who}",
               ["rooftop solar systems", "heat pumps", "EV chargers", "battery storage"],
               (8, 250)),
}

WHO = {
    "saas": ["small businesses", "mid-sized retailers", "agencies", "restaurants",
             "professional services firms"],
    "it": ["small and mid-sized businesses", "law firms", "schools", "manufacturers"],
    "consulting": ["mid-market companies", "family-owned businesses", "software companies",
                   "public sector bodies"],
    "marketing": ["B2B software brands", "local businesses", "e-commerce brands"],
    "clinic": ["families in the region", "local patients", "employers and their staff"],
    "dental": ["families", "adults and children", "local patients"],
    "logistics": ["retailers and manufacturers", "e-commerce sellers", "food producers"],
    "wholesale": ["contractors", "retailers", "facility managers", "installers"],
    "food": ["supermarkets and cafés", "restaurants", "independent shops"],
    "manufacturing": ["automotive suppliers", "machine builders", "the food industry"],
    "construction": ["property developers", "homeowners", "local councils"],
    "realestate": ["landlords", "investors", "tenants and buyers"],
    "legal": ["employers", "startups", "families", "individuals"],
    "accounting": ["small businesses", "startups", "sole traders"],
    "ecommerce": ["customers nationwide", "enthusiasts", "families"],
    "education": ["working professionals", "companies", "students"],
    "hospitality": ["business travellers", "tourists", "event organisers"],
    "energy": ["homeowners", "businesses", "farms"],
}

NAME_STEMS = [
    "Northwind", "Bluepeak", "Cedar", "Silverline", "Brightwater", "Ironbridge", "Maple",
    "Harbor", "Summit", "Oakridge", "Riverbend", "Sunfield", "Greystone", "Redwood", "Lakeside",
    "Pinecrest", "Stonegate", "Clearview", "Highland", "Westbrook", "Eastgate", "Fairhaven",
    "Goldcrest", "Kingsway", "Larkspur", "Meadow", "Nimbus", "Orchard", "Pioneer", "Quarry",
    "Rosewood", "Saltmarsh", "Thornfield", "Upland", "Vantage", "Willow", "Yarrow", "Zephyr",
    "Alder", "Beacon", "Copper", "Driftwood", "Ember", "Falcon", "Granite", "Heather", "Indigo",
    "Juniper", "Kestrel", "Lumen", "Mistral", "Nova", "Opal", "Paragon", "Quill", "Raven",
    "Sable", "Tidewater", "Umber", "Verdant", "Wren", "Axiom", "Bramble", "Crescent", "Dune",
    "Everest", "Fjord", "Glacier", "Hollow", "Isle", "Jade", "Keystone", "Linden", "Monarch",
    "Nettle", "Osprey", "Pebble", "Ridgeway", "Spruce", "Tundra", "Vale", "Whitby", "Aster",
    "Birch", "Cobalt", "Delta", "Elmstead", "Foxglove", "Garnet", "Hawthorn", "Ivory", "Kite",
    "Lantern", "Marlow", "Northgate", "Oakmont", "Prism", "Rook", "Starling", "Trident",
]

FIRST = ["Anna", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "James",
         "Katja", "Liam", "Maria", "Noah", "Olivia", "Pablo", "Quinn", "Ravi", "Sofia", "Tom",
         "Uma", "Victor", "Wen", "Yusuf", "Zoe", "Lars", "Emma", "Jonas", "Claire", "Sean"]
LAST = ["Novak", "Smith", "Müller", "Dubois", "Jansen", "Garcia", "O'Brien", "Andersson",
        "Patel", "Kim", "Rossi", "Schmidt", "Martin", "de Vries", "Brown", "Walsh", "Lindqvist",
        "Fischer", "Moreau", "Taylor", "Lopez", "Chen", "Wilson", "Bakker", "Murphy"]

# Third-party scripts: (name, kind, script URL template)
TECH = {
    "HubSpot": ("crm", '<script id="hs-script-loader" async defer src="https://js.hs-scripts.com/{n}.js"></script>'),
    "Salesforce": ("crm", '<form action="https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8" method="POST"><input type="hidden" name="oid" value="00D{n}"></form>'),
    "Pipedrive": ("crm", '<script src="https://webforms.pipedrive.com/f/loader"></script>'),
    "Zoho CRM": ("crm", '<script src="https://salesiq.zoho.com/widget?wc={n}"></script>'),
    "Marketo": ("marketing", '<script src="//munchkin.marketo.net/munchkin.js"></script>'),
    "Mailchimp": ("marketing", '<script id="mcjs" src="https://chimpstatic.com/mcjs-connected/js/users/{n}.js"></script>'),
    "Intercom": ("chat", '<script src="https://widget.intercom.io/widget/{n}"></script>'),
    "Drift": ("chat", '<script src="https://js.driftt.com/include/{n}/drift.js"></script>'),
    "Zendesk": ("chat", '<script id="ze-snippet" src="https://static.zdassets.com/ekr/snippet.js?key={n}"></script>'),
    "Google Analytics": ("analytics", '<script async src="https://www.googletagmanager.com/gtag/js?id=G-{n}"></script>'),
    "Matomo": ("analytics", '<script src="https://cdn.matomo.cloud/{n}.matomo.cloud/matomo.js"></script>'),
    "Hotjar": ("analytics", '<script src="https://static.hotjar.com/c/hotjar-{n}.js?sv=6"></script>'),
    "Plausible": ("analytics", '<script defer data-domain="{d}" src="https://plausible.io/js/script.js"></script>'),
    "Segment": ("analytics", '<script src="https://cdn.segment.com/analytics.js/v1/{n}/analytics.min.js"></script>'),
    "Calendly": ("scheduling", '<script src="https://assets.calendly.com/assets/external/widget.js"></script>'),
    "WordPress": ("cms", '<link rel="stylesheet" href="/wp-content/themes/starter/style.css">'),
    "Shopify": ("ecommerce", '<script src="https://cdn.shopify.com/s/trekkie.storefront.{n}.min.js"></script>'),
}

# Signals: key -> (pages it can appear on, sentences)
SIGNALS = {
    "spreadsheets": ["Our sales team still tracks every lead in shared spreadsheets, and keeping them current takes hours each week.",
                     "Today we still manage customer records in Excel spreadsheets across three offices.",
                     "We are still on spreadsheets for our pipeline, which worked when we were ten people."],
    "manual_entry": ["Our account managers spend too much time on manual data entry after every client call.",
                     "Copying order details between systems by hand is slowing our team down.",
                     "Manual data entry between our booking system and invoicing is our biggest admin burden."],
    "lost_leads": ["We know some enquiries fall through the cracks when our team is busy.",
                   "Follow-ups depend on sticky notes and memory, so leads get lost.",
                   "Poor lead tracking means we rarely know which campaign brought a customer in."],
    "hiring_salesops": ["We are hiring a Sales Operations Manager to build our sales process and tooling.",
                        "Open role: Revenue Operations Lead, owning our CRM and reporting.",
                        "Join us as Sales Operations Analyst and help us organise a fast-growing pipeline."],
    "evaluating_crm": ["We are evaluating CRM platforms to replace our spreadsheets before the next sales year.",
                       "This quarter we are looking for a CRM that our whole team will actually use.",
                       "We are migrating from our legacy contact database to a modern CRM."],
    "rfp_crm": ["Request for proposals: customer relationship management system. Submissions are due by {deadline}.",
                "We invite vendors to submit proposals for a sales CRM and automation platform by {deadline}."],
    "funding": ["In {month} we raised a {amount} Series A to expand our team.",
                "{month}: we closed a {amount} seed round led by regional investors.",
                "We secured {amount} in growth funding in {month} to open a second office."],
    "growth": ["Our team has doubled in the last twelve months.",
               "We opened a new office in {city} in {month}.",
               "Revenue grew 60% last year and we plan to keep hiring."],
    "switch_competitor": ["We have outgrown our current {competitor} setup and are reviewing alternatives.",
                          "After three years on {competitor}, we are looking for something simpler and cheaper."],
    # healthcare security context
    "hipaa_audit": ["We are preparing for our annual HIPAA compliance audit and reviewing how patient data is stored.",
                    "Our practice is updating its HIPAA policies ahead of an external compliance review."],
    "ransomware": ["After a ransomware attack on a nearby hospital, we are strengthening our cybersecurity.",
                   "Protecting patient records from ransomware is now a board-level priority for us."],
    "outdated_it": ["Several of our practice computers still run outdated systems that need replacing.",
                    "Our IT systems are ageing and we are planning an upgrade of servers and backups."],
    "hiring_it": ["We are hiring an IT Systems Administrator to look after our clinics' network and devices.",
                  "Open role: IT Security Coordinator for our growing group of practices."],
    # fleet context
    "late_deliveries": ["Late deliveries during peak season cost us two major accounts last year.",
                        "Customers tell us our delivery windows are too wide and too often missed."],
    "fuel_costs": ["Rising fuel costs are squeezing the margins of our delivery fleet.",
                   "Fuel now accounts for almost a third of our transport costs."],
    "manual_routes": ["Our dispatchers still plan routes by hand every morning on a whiteboard.",
                      "Route planning is done manually in spreadsheets, which takes our dispatch team hours."],
    "fleet_growth": ["We are expanding our delivery fleet to {vans} vans to serve new customers.",
                     "This year we added {vans} vehicles and a second depot to our fleet."],
    "hiring_driver": ["We are hiring HGV drivers and a Transport Planner for our new depot.",
                      "Open roles: delivery drivers and a Fleet Coordinator."],
    # neutral news without buying intent
    "award": ["We were proud to win a regional business award in {month}.",
              "Our team celebrated our tenth anniversary with customers in {month}."],
    "charity": ["This year our staff volunteered over 500 hours with local charities.",
                "We sponsor the local youth football club and a food bank."],
}

CONTEXT_SIGNALS = {
    "crm-smb": {"spreadsheets", "manual_entry", "lost_leads", "hiring_salesops", "evaluating_crm",
                "rfp_crm", "switch_competitor"},
    "clinic-security": {"hipaa_audit", "ransomware", "outdated_it", "hiring_it"},
    "fleet-eu": {"late_deliveries", "fuel_costs", "manual_routes", "fleet_growth", "hiring_driver"},
}

CONTEXTS = {
    "crm-smb": {"industries": {"saas", "it", "consulting"}, "size": (10, 100),
                "countries": {"US", "CA"}, "competitors": ["Salesforce", "HubSpot"]},
    "clinic-security": {"industries": {"clinic", "dental"}, "size": (20, 200),
                        "countries": {"US"}, "competitors": ["Arctic Wolf", "Huntress"]},
    "fleet-eu": {"industries": {"logistics", "wholesale", "food"}, "size": (50, 500),
                 "countries": {"GB", "DE", "NL", "IE"}, "competitors": ["Samsara", "Webfleet"]},
}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.used_slugs = set()

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def month(self, recent=True):
        # The corpus's "now" is November 2026: recent signals fall in 2026.
        if recent:
            m = self.r.randrange(0, 10)
            return "%s 2026" % MONTHS[m]
        return "%s %d" % (MONTHS[self.r.randrange(12)], self.pick([2021, 2022, 2023]))

    # -- phones -----------------------------------------------------------
    def phone(self, cc, area):
        r = self.r
        if cc == "US" or cc == "CA":
            sub = "01%02d" % r.randrange(100)
            e164 = "+1%s555%s" % (area, sub)
            forms = ["(%s) 555-%s" % (area, sub), "%s-555-%s" % (area, sub),
                     "+1 %s-555-%s" % (area, sub), "+1 (%s) 555 %s" % (area, sub),
                     "%s.555.%s" % (area, sub)]
        elif cc == "GB":
            if area == "20":
                local = "7946 0%03d" % r.randrange(1000)
                national = "020 " + local
            else:
                local = "496 0%03d" % r.randrange(1000)
                national = "0%s %s" % (area, local)
            e164 = "+44" + national[1:].replace(" ", "")
            forms = [national, "+44 " + national[1:], "+44 (0)" + national[1:]]
        elif cc == "DE":
            num = "%d" % r.randrange(1000000, 9999999)
            e164 = "+49%s%s" % (area, num)
            forms = ["0%s %s" % (area, num), "+49 %s %s" % (area, num),
                     "+49 (0)%s %s-%s" % (area, num[:4], num[4:]), "0%s/%s" % (area, num)]
        elif cc == "NL":
            num = "%07d" % r.randrange(10000000)
            e164 = "+31%s%s" % (area, num)
            forms = ["0%s %s %s" % (area, num[:3], num[3:]), "+31 %s %s %s" % (area, num[:3], num[3:])]
        elif cc == "FR":
            d = ["%02d" % r.randrange(100) for _ in range(4)]
            e164 = "+33%s%s" % (area, "".join(d))
            forms = ["0%s %s" % (area, " ".join(d)), "+33 %s %s" % (area, " ".join(d)),
                     "0%s.%s" % (area, ".".join(d))]
        elif cc == "AU":
            num = "5550 %04d" % r.randrange(10000)
            e164 = "+61%s%s" % (area, num.replace(" ", ""))
            forms = ["(0%s) %s" % (area, num), "+61 %s %s" % (area, num)]
        elif cc == "IE":
            num = "%03d %04d" % (r.randrange(200, 999), r.randrange(10000))
            e164 = "+353%s%s" % (area, num.replace(" ", ""))
            forms = ["(0%s) %s" % (area, num), "+353 %s %s" % (area, num)]
        elif cc == "ES":
            num = "%03d %02d %02d" % (r.randrange(100, 999), r.randrange(100), r.randrange(100))
            e164 = "+34%s%s" % (area, num.replace(" ", ""))
            forms = ["%s %s" % (area, num), "+34 %s %s" % (area, num)]
        else:  # SE: Stockholm (8) has 8-digit numbers, other areas 7
            if area == "8":
                num = "%03d %03d %02d" % (r.randrange(100, 999), r.randrange(1000), r.randrange(100))
            else:
                num = "%03d %02d %02d" % (r.randrange(100, 999), r.randrange(100), r.randrange(100))
            e164 = "+46%s%s" % (area, num.replace(" ", ""))
            forms = ["0%s-%s" % (area, num), "+46 %s %s" % (area, num)]
        return e164, self.pick(forms)

    # -- companies ----------------------------------------------------------
    def slug(self, name):
        base = "".join(c.lower() if c.isalnum() else "-" for c in name).strip("-")
        while "--" in base:
            base = base.replace("--", "-")
        s, n = base, 2
        while s in self.used_slugs:
            s = "%s-%d" % (base, n)
            n += 1
        self.used_slugs.add(s)
        return s

    def company(self, industry, country, size, signals):
        r = self.r
        label, suffixes, what_tpl, whats, _ = INDUSTRIES[industry]
        name = "%s %s" % (self.pick(NAME_STEMS), self.pick(suffixes))
        slug = self.slug(name)
        city, region, area, postcode = self.pick(COUNTRIES[country]["cities"])
        e164, shown = self.phone(country, area)
        phones = [(e164, shown)]
        if r.random() < 0.25:
            phones.append(self.phone(country, area))
        street = "%d %s" % (r.randrange(1, 400), self.pick(STREETS[country]))
        if country in ("DE", "NL", "FR", "ES", "SE"):
            street = "%s %d" % (self.pick(STREETS[country]), r.randrange(1, 120))
        founded = r.randrange(1978, 2023)
        c = {
            "site": slug + ".example", "name": name, "industry": label, "industry_key": industry,
            "country": country, "country_name": COUNTRIES[country]["name"], "city": city,
            "region": region, "postcode": postcode, "street": street, "employees": size,
            "founded": founded, "what": self.pick(whats), "who": self.pick(WHO[industry]),
            "phones": phones, "signals": signals, "signal_text": {},
        }
        dom = c["site"]
        c["emails"] = []
        style = r.choices(["mailto", "plain", "obfuscated", "entities", "cloudflare", "form"],
                          [40, 18, 10, 10, 12, 10])[0]
        c["email_style"] = style
        if style != "form":
            c["emails"].append("%s@%s" % (self.pick(["info", "hello", "contact", "office", "team"]), dom))
            if r.random() < 0.35:
                c["emails"].append("sales@%s" % dom)
        c["people"] = []
        for _ in range(r.choice([0, 0, 2, 3])):
            fn, ln = self.pick(FIRST), self.pick(LAST)
            ascii_ln = ln.lower().replace("ü", "ue").replace("'", "").replace(" ", "")
            c["people"].append((fn, ln, self.pick(["Founder & CEO", "Head of Sales",
                                                    "Operations Director", "Office Manager",
                                                    "Managing Partner"]),
                                "%s.%s@%s" % (fn.lower(), ascii_ln, dom)))
        if c["people"] and style in ("mailto", "plain") and r.random() < 0.6:
            c["emails"].append(c["people"][0][3])
        tech = []
        if r.random() < 0.55:
            tech.append(self.pick(["Google Analytics", "Matomo", "Hotjar", "Plausible", "Segment"]))
        if r.random() < 0.30:
            tech.append(self.pick(["HubSpot", "Salesforce", "Pipedrive", "Zoho CRM"]))
        if r.random() < 0.20:
            tech.append(self.pick(["Intercom", "Drift", "Zendesk"]))
        if r.random() < 0.15:
            tech.append(self.pick(["Mailchimp", "Marketo"]))
        if r.random() < 0.30:
            tech.append("WordPress")
        if industry == "ecommerce" and r.random() < 0.6:
            tech.append("Shopify")
        if r.random() < 0.1:
            tech.append("Calendly")
        c["technologies"] = sorted(set(tech))
        c["structured"] = r.choices(["jsonld", "microdata", "none"], [25, 15, 60])[0]
        c["cookie_banner"] = r.random() < 0.6
        c["pages"] = ["index", "about", "contact"]
        if any(s.startswith("hiring") for s in signals) or r.random() < 0.3:
            c["pages"].append("careers")
        if r.random() < 0.5 or any(s in ("funding", "growth", "award", "rfp_crm", "fleet_growth") for s in signals):
            c["pages"].append(self.pick(["news", "blog"]))
        if country == "DE":
            c["pages"].append("impressum")
        c["social"] = {}
        if r.random() < 0.6:
            c["social"]["linkedin"] = "https://www.linkedin.com/company/%s" % slug
        if r.random() < 0.35:
            c["social"]["x"] = "https://x.com/%s" % slug.replace("-", "")[:15]
        if r.random() < 0.25:
            c["social"]["facebook"] = "https://www.facebook.com/%s" % slug.replace("-", "")
        if industry == "saas" and r.random() < 0.4:
            c["social"]["github"] = "https://github.com/%s" % slug
        return c


def size_phrase(g, n):
    return g.pick([
        "Today we are a team of %d people." % n,
        "We employ %d people across our offices." % n,
        "Our %d-person team works from %%s." % n,
        "With more than %d employees, we have grown steadily." % (n - n % 10 if n > 20 else n),
        "We are a team of %d specialists." % n,
    ])


def size_band(n):
    for lo, hi in [(1, 10), (11, 50), (51, 200), (201, 500), (501, 1000)]:
        if n <= hi:
            return "%d-%d" % (lo, hi)
    return "1000+"


def fill(g, text, c):
    return text.format(deadline="%d %s 2027" % (g.r.randrange(1, 28), g.pick(MONTHS[:3])),
                       month=g.month(), amount=g.pick(["$4M", "$8.5M", "€6M", "£3M", "$12M"]),
                       city=g.pick(COUNTRIES[c["country"]]["cities"])[0],
                       competitor=g.pick(CONTEXTS["crm-smb"]["competitors"]) if c["industry_key"] in ("saas", "it", "consulting", "marketing")
                       else g.pick(["Samsara", "Webfleet"]) if c["industry_key"] in ("logistics", "wholesale", "food")
                       else "our current provider",
                       vans=g.r.randrange(12, 80))


def obfuscate(g, email, style):
    user, dom = email.split("@")
    if style == "obfuscated":
        return html.escape(g.pick(["%s [at] %s" % (user, dom.replace(".", " [dot] ")),
                                   "%s(at)%s" % (user, dom), "%s AT %s" % (user, dom.replace(".", " DOT "))]))
    if style == "entities":
        return "".join("&#%d;" % ord(ch) for ch in email)
    if style == "cloudflare":
        key = g.r.randrange(1, 255)
        enc = "%02x" % key + "".join("%02x" % (ord(ch) ^ key) for ch in email)
        return ('<a href="/cdn-cgi/l/email-protection#%s"><span class="__cf_email__" '
                'data-cfemail="%s">[email&#160;protected]</span></a>' % (enc, enc))
    if style == "mailto":
        return '<a href="mailto:%s">%s</a>' % (email, email)
    return email


def phone_html(g, e164, shown):
    if g.r.random() < 0.5:
        return '<a href="tel:%s">%s</a>' % (e164, html.escape(shown))
    return html.escape(shown)


def address_text(c):
    if c["country"] in ("US", "CA", "AU"):
        return "%s, %s, %s %s, %s" % (c["street"], c["city"], c["region"], c["postcode"], c["country_name"])
    if c["country"] in ("GB", "IE"):
        return "%s, %s %s, %s" % (c["street"], c["city"], c["postcode"], c["country_name"])
    return "%s, %s %s, %s" % (c["street"], c["postcode"], c["city"], c["country_name"])


def head(c, title, g, extra=""):
    scripts = "\n".join(TECH[t][1].format(n=g.r.randrange(100000, 999999), d=c["site"])
                        for t in c["technologies"])
    desc = "%s %s." % (c["name"], INDUSTRIES[c["industry_key"]][2].format(what=c["what"], who=c["who"]))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"generator\" content=\"prospect-sample-corpus (fictional company)\">\n"
            "<title>%s</title>\n<meta name=\"description\" content=\"%s\">\n"
            "<meta property=\"og:title\" content=\"%s\">\n<meta property=\"og:site_name\" content=\"%s\">\n"
            "%s\n%s\n</head>\n" % (html.escape(title), html.escape(desc), html.escape(title),
                                   html.escape(c["name"]), scripts, extra))


def nav(c):
    links = [("/", "Home"), ("/about", "About us"), ("/contact", "Contact")]
    if "careers" in c["pages"]:
        links.append(("/careers", "Careers"))
    for p in ("news", "blog"):
        if p in c["pages"]:
            links.append(("/" + p, p.capitalize()))
    return ("<header class=\"site-header\"><a class=\"logo\" href=\"/\">%s</a>\n<nav class=\"main-nav\">%s</nav></header>\n"
            % (html.escape(c["name"]), " ".join('<a href="%s">%s</a>' % l for l in links)))


def footer(c, g):
    social = " ".join('<a href="%s" rel="noopener">%s</a>' % (u, k.capitalize())
                      for k, u in sorted(c["social"].items()))
    legal = '<a href="/impressum">Impressum</a> ' if "impressum" in c["pages"] else ""
    banner = ""
    if c["cookie_banner"]:
        banner = ('<div id="cookie-consent" class="cookie-banner">We use cookies to improve your '
                  'experience and analyse traffic. <button>Accept all</button> <button>Reject</button> '
                  '<a href="/privacy">Privacy policy</a></div>\n')
    return ("<footer class=\"site-footer\"><p>&copy; %d %s. All rights reserved.</p>\n<p>%s%s "
            "<a href=\"/privacy\">Privacy</a></p>\n<p class=\"fictional\">Fictional company: sample data "
            "generated for testing Prospect.</p></footer>\n%s</body>\n</html>\n"
            % (2026, html.escape(c["name"]), legal, social, banner))


def structured(c):
    if c["structured"] != "jsonld":
        return ""
    org = {"@context": "https://schema.org",
           "@type": "LocalBusiness" if c["industry_key"] in ("clinic", "dental", "hospitality") else "Organization",
           "name": c["name"], "url": "https://%s/" % c["site"],
           "logo": "https://%s/logo.png" % c["site"],
           "telephone": c["phones"][0][0],
           "address": {"@type": "PostalAddress", "streetAddress": c["street"],
                       "addressLocality": c["city"], "postalCode": c["postcode"],
                       "addressCountry": c["country"]},
           "foundingDate": str(c["founded"]),
           "numberOfEmployees": {"@type": "QuantitativeValue", "value": c["employees"]}}
    if c["region"]:
        org["address"]["addressRegion"] = c["region"]
    if c["emails"]:
        org["email"] = c["emails"][0]
    if c["social"]:
        org["sameAs"] = [u for _, u in sorted(c["social"].items())]
    return '<script type="application/ld+json">%s</script>' % json.dumps(org, ensure_ascii=False)


def signal_paragraphs(g, c, page):
    out = []
    for s in c["signals"]:
        if c["signal_page"][s] == page:
            text = fill(g, g.pick(SIGNALS[s]), c)
            c["signal_text"][s] = text
            out.append("<p>%s</p>" % html.escape(text))
    return "\n".join(out)


def page_index(g, c):
    ind = INDUSTRIES[c["industry_key"]]
    body = ("<main>\n<section class=\"hero\"><h1>%s</h1>\n<p>%s %s.</p></section>\n"
            "<section><h2>What we do</h2>\n<p>We focus on %s, working with %s in and around %s.</p>\n%s\n</section>\n"
            % (html.escape(g.pick(["Welcome to %s" % c["name"], "%s: %s" % (c["name"], c["what"].capitalize()),
                                    "%s for %s" % (c["what"].capitalize(), c["who"])])),
               html.escape(c["name"]), html.escape(ind[2].format(what=c["what"], who=c["who"])),
               html.escape(c["what"]), html.escape(c["who"]), html.escape(c["city"]),
               signal_paragraphs(g, c, "index")))
    body += ("<section class=\"cta\"><h2>Get in touch</h2><p>Talk to our team about your project.</p>"
             "<a class=\"button\" href=\"/contact\">Contact us</a></section>\n</main>\n")
    return head(c, "%s | %s" % (c["name"], ind[0]), g, structured(c)) + "<body>\n" + nav(c) + body + footer(c, g)


def page_about(g, c):
    phrase = size_phrase(g, c["employees"])
    if "%s" in phrase:
        phrase = phrase % c["city"]
    micro = c["structured"] == "microdata"
    body = "<main>\n"
    if micro:
        body += '<div itemscope itemtype="https://schema.org/Organization">\n'
    body += "<h1>About %s</h1>\n" % (('<span itemprop="name">%s</span>' if micro else "%s") % html.escape(c["name"]))
    body += ("<p>Founded in %d in %s, %s %s.</p>\n<p>%s</p>\n" % (
        c["founded"], html.escape(c["city"]), html.escape(c["name"]),
        html.escape(INDUSTRIES[c["industry_key"]][2].format(what=c["what"], who=c["who"])), html.escape(phrase)))
    if micro:
        body += ('<p>Call us on <span itemprop="telephone">%s</span>.</p>\n'
                 '<div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">'
                 '<span itemprop="streetAddress">%s</span>, <span itemprop="postalCode">%s</span> '
                 '<span itemprop="addressLocality">%s</span>, <span itemprop="addressCountry">%s</span></div>\n'
                 '<meta itemprop="numberOfEmployees" content="%d">\n</div>\n'
                 % (html.escape(c["phones"][0][1]), html.escape(c["street"]), html.escape(c["postcode"]),
                    html.escape(c["city"]), html.escape(c["country_name"]), c["employees"]))
    body += signal_paragraphs(g, c, "about") + "\n"
    if c["people"]:
        body += "<h2>Our team</h2>\n<ul class=\"team\">\n"
        for fn, ln, role, email in c["people"]:
            body += "<li><strong>%s %s</strong>, %s</li>\n" % (html.escape(fn), html.escape(ln), html.escape(role))
        body += "</ul>\n"
    body += "<h2>Our values</h2>\n<p>%s</p>\n</main>\n" % html.escape(g.pick([
        "We keep our promises, answer quickly and explain things plainly.",
        "Quality, honesty and long-term relationships guide everything we do.",
        "We believe good work comes from a small team that cares."]))
    return head(c, "About us | %s" % c["name"], g) + "<body>\n" + nav(c) + body + footer(c, g)


def page_contact(g, c):
    body = "<main>\n<h1>Contact</h1>\n<p>We would love to hear from you.</p>\n"
    body += "<h2>Visit us</h2>\n<address>%s</address>\n" % html.escape(address_text(c))
    body += "<h2>Call</h2>\n<p>%s</p>\n" % "<br>".join(
        "%s: %s" % (lbl, phone_html(g, e, s)) for (e, s), lbl in zip(c["phones"], ["Office", "Sales"]))
    if c["emails"]:
        body += "<h2>Email</h2>\n<p>%s</p>\n" % "<br>".join(obfuscate(g, e, c["email_style"]) for e in c["emails"])
    body += ('<form class="contact-form" action="/contact" method="post"><label>Name <input name="name"></label>'
             '<label>Email <input type="email" name="email"></label><label>Message <textarea name="message"></textarea></label>'
             '<button type="submit">Send</button></form>\n</main>\n')
    return head(c, "Contact | %s" % c["name"], g) + "<body>\n" + nav(c) + body + footer(c, g)


def page_careers(g, c):
    body = "<main>\n<h1>Careers at %s</h1>\n" % html.escape(c["name"])
    para = signal_paragraphs(g, c, "careers")
    if para:
        body += para + "\n"
    else:
        body += "<p>%s</p>\n" % html.escape(g.pick([
            "We have no open positions right now, but we are always happy to receive applications.",
            "We are hiring a Junior Designer and a Customer Support Specialist.",
            "Open role: Software Developer (remote friendly)."]))
    body += "<p>Send your CV to our office or apply through the form on our contact page.</p>\n</main>\n"
    return head(c, "Careers | %s" % c["name"], g) + "<body>\n" + nav(c) + body + footer(c, g)


def page_news(g, c, kind):
    body = "<main>\n<h1>%s</h1>\n" % ("News" if kind == "news" else "Blog")
    para = signal_paragraphs(g, c, kind)
    body += "<article><h2>%s</h2>\n<p class=\"date\">%s</p>\n%s\n<p>%s</p></article>\n" % (
        html.escape(g.pick(["Company update", "What's new", "A busy year", "Looking ahead"])),
        g.month(), para, html.escape(g.pick([
            "Thank you to our customers and partners for their continued support.",
            "We will share more updates here over the coming months.",
            "As always, our door is open if you would like to talk."])))
    return head(c, "%s | %s" % (kind.capitalize(), c["name"]), g) + "<body>\n" + nav(c) + body + footer(c, g)


def page_impressum(g, c):
    p = c["people"][0] if c["people"] else (g.pick(FIRST), g.pick(LAST), "", "")
    body = ("<main>\n<h1>Impressum</h1>\n<p>Angaben gemäß § 5 TMG</p>\n<p>%s GmbH<br>%s<br>%s %s</p>\n"
            "<p>Vertreten durch: %s %s</p>\n<p>Telefon: %s</p>\n<p>Registergericht: Amtsgericht %s, HRB %d</p>\n</main>\n"
            % (html.escape(c["name"]), html.escape(c["street"]), html.escape(c["postcode"]), html.escape(c["city"]),
               html.escape(p[0]), html.escape(p[1]), html.escape(c["phones"][0][1]), html.escape(c["city"]),
               g.r.randrange(10000, 99999)))
    return head(c, "Impressum | %s" % c["name"], g) + "<body>\n" + nav(c) + body + footer(c, g)


def place_signals(g, c):
    c["signal_page"] = {}
    for s in c["signals"]:
        if s.startswith("hiring"):
            c["signal_page"][s] = "careers"
        elif s in ("funding", "growth", "award", "rfp_crm", "fleet_growth", "charity"):
            c["signal_page"][s] = next((p for p in ("news", "blog") if p in c["pages"]), "about")
        else:
            c["signal_page"][s] = g.pick(["index", "about"])


def fits(c):
    out = []
    for key, ctx in CONTEXTS.items():
        lo, hi = ctx["size"]
        if (c["industry_key"] in ctx["industries"] and lo <= c["employees"] <= hi
                and c["country"] in ctx["countries"]
                and any(s in CONTEXT_SIGNALS[key] for s in c["signals"])):
            out.append(key)
    return out


def plan(g, n):
    """The companies: for each context, fits and near misses of each kind,
    then the rest at random, so that ranking has both easy and hard cases."""
    specs = []
    for key, ctx in CONTEXTS.items():
        inds, (lo, hi), countries = sorted(ctx["industries"]), ctx["size"], sorted(ctx["countries"])
        sigs = sorted(CONTEXT_SIGNALS[key])
        others = sorted(set(COUNTRIES) - set(countries))
        for i in range(26):  # fits
            specs.append((g.pick(inds), g.pick(countries), g.r.randrange(lo, hi + 1),
                          g.r.sample(sigs, g.r.choice([1, 2, 2, 3])) + g.r.sample(["funding", "growth", "award"], g.r.choice([0, 1]))))
        for i in range(10):  # right profile, no need
            specs.append((g.pick(inds), g.pick(countries), g.r.randrange(lo, hi + 1),
                          g.r.sample(["award", "charity", "growth"], g.r.choice([0, 1]))))
        for i in range(8):  # needs, wrong place
            specs.append((g.pick(inds), g.pick(others), g.r.randrange(lo, hi + 1), g.r.sample(sigs, 2)))
        for i in range(6):  # needs, wrong size
            size = g.r.choice([g.r.randrange(2, max(3, lo)), g.r.randrange(hi + 1, hi * 3)])
            specs.append((g.pick(inds), g.pick(countries), size, g.r.sample(sigs, 2)))
        for i in range(6):  # needs words, wrong industry
            other = g.pick(sorted(set(INDUSTRIES) - ctx["industries"]))
            specs.append((other, g.pick(countries), g.r.randrange(lo, hi + 1), g.r.sample(sigs, 1)))
    weights = [COUNTRIES[k]["share"] for k in COUNTRIES]
    all_sigs = sorted(SIGNALS)
    while len(specs) < n:
        ind = g.pick(sorted(INDUSTRIES))
        lo, hi = INDUSTRIES[ind][4]
        specs.append((ind, g.r.choices(list(COUNTRIES), weights)[0], g.r.randrange(lo, hi + 1),
                      g.r.sample(all_sigs, g.r.choice([0, 0, 1, 1, 2]))))
    g.r.shuffle(specs)
    return specs[:n] if n >= 150 else specs[:n]


# -- pages that are not leads -------------------------------------------------

def nonlead_head(title, site, extra=""):
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"generator\" content=\"prospect-sample-corpus (fictional site)\">\n"
            "<title>%s</title>\n%s\n</head>\n<body>\n" % (html.escape(title), extra))


def nonlead_pages(g, companies):
    pages = []  # (site, path, html)
    by_ind = {}
    for c in companies:
        by_ind.setdefault(c["industry"], []).append(c)
    # Directory listings.
    site = "bizlistings.example"
    for i, (ind, cs) in enumerate(sorted(by_ind.items())):
        for part in range(2):
            chosen = cs[part * 10:(part + 1) * 10]
            if len(chosen) < 3:
                continue
            items = "\n".join(
                '<li class="listing"><h3><a href="https://%s/">%s</a></h3><p>%s &middot; %s</p>'
                '<p>%s</p><a href="/claim">Claim this listing</a></li>'
                % (c["site"], html.escape(c["name"]), html.escape(c["city"]), html.escape(c["industry"]),
                   html.escape("%s %s." % (c["name"], INDUSTRIES[c["industry_key"]][2].format(what=c["what"], who=c["who"]))))
                for c in chosen)
            title = "Top %s companies %s | BizListings directory" % (ind, "" if part == 0 else "(page 2)")
            body = ("<header><a href=\"/\">BizListings</a> <nav><a href=\"/categories\">Categories</a> <a href=\"/add\">Add your business</a></nav></header>\n"
                    "<main><h1>%s companies</h1><p>Compare %d %s companies. Looking for a CRM, a logistics partner or a clinic? Browse verified listings and reviews.</p>\n<ul class=\"results\">%s</ul>\n"
                    "<div class=\"pagination\"><a href=\"?page=1\">1</a> <a href=\"?page=2\">2</a> <a href=\"?page=3\">Next</a></div></main>\n"
                    "<footer>BizListings business directory. Fictional site: sample data.</footer></body></html>\n"
                    % (html.escape(ind), len(chosen), html.escape(ind), items))
            pages.append((site, "category-%d-%d.html" % (i, part), nonlead_head(title, site) + body))
    # News articles about companies (funding, growth).
    site = "tradewire-news.example"
    news_cs = sorted(companies, key=lambda c: c["site"])[::19][:22]
    for i, c in enumerate(news_cs):
        headline = g.pick(["%s raises new funding to expand", "%s opens second office",
                           "%s looks for new CRM and logistics partners", "%s hires sales operations lead"]) % c["name"]
        art = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
               "datePublished": "2026-%02d-%02dT09:00:00Z" % (g.r.randrange(1, 11), g.r.randrange(1, 28)),
               "author": {"@type": "Person", "name": "%s %s" % (g.pick(FIRST), g.pick(LAST))},
               "publisher": {"@type": "Organization", "name": "TradeWire News"}}
        body = ("<header><a href=\"/\">TradeWire News</a> <nav><a href=\"/business\">Business</a> <a href=\"/tech\">Tech</a> <a href=\"/subscribe\">Subscribe</a></nav></header>\n"
                "<main><article><h1>%s</h1><p class=\"byline\">By %s &middot; %s</p>\n"
                "<p>%s, the %s company based in %s, said this week that it is growing quickly. The firm, which %s, told TradeWire that it is still on spreadsheets for much of its sales work and is looking for better tools.</p>\n"
                "<p>Analysts said many small businesses face the same manual data entry problems.</p>\n"
                "<p>Read more about <a href=\"https://%s/\">%s</a>.</p></article>\n"
                "<aside><h2>Most read</h2><ul><li><a href=\"/a1\">Ten CRM tools compared</a></li><li><a href=\"/a2\">Fuel prices hit fleets</a></li></ul></aside></main>\n"
                "<footer>TradeWire News. Fictional site: sample data.</footer></body></html>\n"
                % (html.escape(headline), html.escape(art["author"]["name"]), art["datePublished"][:10],
                   html.escape(c["name"]), html.escape(c["industry"].lower()), html.escape(c["city"]),
                   html.escape(INDUSTRIES[c["industry_key"]][2].format(what=c["what"], who=c["who"])),
                   c["site"], html.escape(c["name"])))
        extra = '<script type="application/ld+json">%s</script>' % json.dumps(art)
        pages.append((site, "business/article-%d.html" % i, nonlead_head(headline + " | TradeWire News", site, extra) + body))
    # Job board postings.
    site = "hirehub-jobs.example"
    job_cs = sorted(companies, key=lambda c: c["name"])[::23][:16]
    for i, c in enumerate(job_cs):
        role = g.pick(["Sales Operations Manager", "Dispatcher", "Practice IT Administrator",
                       "Revenue Operations Analyst", "Transport Planner"])
        job = {"@context": "https://schema.org", "@type": "JobPosting", "title": role,
               "hiringOrganization": {"@type": "Organization", "name": c["name"], "sameAs": "https://%s/" % c["site"]},
               "datePosted": "2026-%02d-%02d" % (g.r.randrange(6, 11), g.r.randrange(1, 28)),
               "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": c["city"], "addressCountry": c["country"]}}}
        body = ("<header><a href=\"/\">HireHub</a> <nav><a href=\"/jobs\">Find jobs</a> <a href=\"/post\">Post a job</a></nav></header>\n"
                "<main><h1>%s</h1><p class=\"company\">%s &middot; %s</p>\n<p>We are looking for a %s to join a growing team. You will own our CRM, reporting and sales processes, replacing spreadsheets with proper tools.</p>\n"
                "<a class=\"apply\" href=\"/apply/%d\">Apply now</a> <p>Similar jobs: <a href=\"/jobs?q=sales\">Sales jobs</a></p></main>\n"
                "<footer>HireHub job board. Fictional site: sample data.</footer></body></html>\n"
                % (html.escape(role), html.escape(c["name"]), html.escape(c["city"]), html.escape(role), i))
        extra = '<script type="application/ld+json">%s</script>' % json.dumps(job)
        pages.append((site, "jobs/%d.html" % i, nonlead_head("%s at %s | HireHub" % (role, c["name"]), site, extra) + body))
    # Social network company profiles.
    site = "linkup-social.example"
    soc_cs = sorted(companies, key=lambda c: c["site"], reverse=True)[::29][:12]
    for i, c in enumerate(soc_cs):
        body = ("<header><a href=\"/\">LinkUp</a> <nav><a href=\"/feed\">Feed</a> <a href=\"/network\">My network</a> <a href=\"/login\">Sign in</a></nav></header>\n"
                "<main class=\"profile\"><h1>%s</h1><p>%s &middot; %s &middot; %d followers</p>\n<p>%s employees on LinkUp</p>\n"
                "<section><h2>About</h2><p>%s %s.</p></section>\n<button>Follow</button> <button>Message</button>\n"
                "<section><h2>Posts</h2><p>We are hiring! Looking for people who love CRM, spreadsheets and logistics.</p></section></main>\n"
                "<footer>LinkUp social network. Fictional site: sample data.</footer></body></html>\n"
                % (html.escape(c["name"]), html.escape(c["industry"]), html.escape(c["city"]), g.r.randrange(120, 9000),
                   size_band(c["employees"]), html.escape(c["name"]),
                   html.escape(INDUSTRIES[c["industry_key"]][2].format(what=c["what"], who=c["who"]))))
        extra = '<meta property="og:type" content="profile">'
        pages.append((site, "company/%s.html" % c["site"].split(".")[0], nonlead_head("%s | LinkUp" % c["name"], site, extra) + body))
    return pages


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--companies", type=int, default=420)
    args = ap.parse_args()
    g = Gen(SEED)
    specs = plan(g, args.companies)
    companies = []
    for ind, country, size, sigs in specs:
        c = g.company(ind, country, size, sorted(set(sigs)))
        place_signals(g, c)
        companies.append(c)

    os.makedirs(args.outdir, exist_ok=True)
    manifest = []

    def write(site, path, text):
        full = os.path.join(args.outdir, site, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        url_path = "/" if path == "index.html" else "/" + path[:-5]
        manifest.append("%s/%s\t%s" % (site, path, "https://%s%s" % (site, url_path)))

    for c in companies:
        gens = {"index": page_index, "about": page_about, "contact": page_contact,
                "careers": page_careers, "impressum": page_impressum}
        for p in c["pages"]:
            text = page_news(g, c, p) if p in ("news", "blog") else gens[p](g, c)
            write(c["site"], p + ".html", text)
    nonleads = nonlead_pages(g, companies)
    for site, path, text in nonleads:
        write(site, path, text)

    with open(os.path.join(args.outdir, "manifest.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# path\turl (fictional sites on reserved .example names)\n")
        f.write("\n".join(manifest) + "\n")
    labels = {
        "fictional": True,
        "generator": "scripts/gen-sample-corpus.py",
        "seed": SEED,
        "now": "2026-11-24",
        "contexts": {
            "crm-smb": {"request": "examples/seed-request.json"},
            "clinic-security": {"request": "examples/clinic-security.json"},
            "fleet-eu": {"request": "examples/fleet-eu.json"},
        },
        "non_lead_sites": sorted({s for s, _, _ in nonleads}),
        "non_lead_pages": len(nonleads),
        "companies": [],
    }
    for key in labels["contexts"]:
        labels["contexts"][key]["fit"] = sorted(c["site"] for c in companies if key in fits(c))
    for c in companies:
        labels["companies"].append({
            "site": c["site"], "name": c["name"], "industry": c["industry"], "country": c["country"],
            "city": c["city"], "employees": c["employees"], "founded": c["founded"],
            "emails": c["emails"], "email_style": c["email_style"],
            "phones": [e for e, _ in c["phones"]], "technologies": c["technologies"],
            "signals": c["signals"], "structured_data": c["structured"], "pages": c["pages"],
            "social": c["social"], "fits": fits(c),
        })
    with open(os.path.join(args.outdir, "labels.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(labels, f, indent=1, ensure_ascii=False, sort_keys=False)
        f.write("\n")
    print("sample corpus: %d companies, %d non-lead pages, %d pages in %s" % (
        len(companies), len(nonleads), len(manifest), args.outdir), file=sys.stderr)


if __name__ == "__main__":
    main()
