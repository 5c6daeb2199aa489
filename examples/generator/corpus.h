#pragma once
// Text for turnaround_gen: company-name parts, comments and churn reasons.
// Order matters: the generator indexes these arrays, so editing them changes
// the output for a given seed (regenerate examples/acme afterwards).

namespace gen {

inline constexpr int kThemes = 7;
inline constexpr const char* kThemeNames[kThemes] = {
    "product quality", "support responsiveness", "pricing and value", "ease of use",
    "communication",   "billing",                "delivery"};

// ---- Company names -------------------------------------------------------
inline constexpr const char* kSignatureNames[] = {
    "Nordlicht Logistik GmbH", "Bluefin Analytics", "Café Mokka",
    "Müller & Söhne AG",       "Zoë Design",        "Ålesund Fisk AS"};
inline constexpr int kSignatureSegments[] = {0, 1, 2, 0, 2, 1};  // enterprise, mid-market, smb

struct NameStyle {
  const char* const* first; int n_first;
  const char* const* second; int n_second;
  const char* const* form; int n_form;
};
#define GEN_LIST(a) a, static_cast<int>(sizeof(a) / sizeof(a[0]))
inline constexpr const char* kDeFirst[] = {"Nordlicht", "Bergmann", "Sonnenhof", "Elbtal", "Rheinwerk",
    "Alpenblick", "Hanse", "Spreewald", "Isartal", "Schwarzwald", "Weißenburg", "Grünwald",
    "Lindenhof", "Falkenstein", "Mainufer", "Havelland"};
inline constexpr const char* kDeSecond[] = {"Logistik", "Maschinenbau", "Bau", "Energie", "Medien",
    "Immobilien", "Software", "Druck", "Brauerei", "Spedition", "Textil", "Systeme", "Technik",
    "Versicherungsmakler", "Pflegedienste", "Möbelwerk"};
inline constexpr const char* kDeForm[] = {"GmbH", "GmbH", "AG", "GmbH & Co. KG", "KG", "e.K."};
inline constexpr const char* kEnFirst[] = {"Bluefin", "Northwind", "Redwood", "Silverline",
    "Brightwater", "Copperleaf", "Harbor", "Summit", "Ironbridge", "Oakridge", "Greenfield",
    "Kestrel", "Lighthouse", "Blackstone Creek", "Maple & Pine", "Tidewater"};
inline constexpr const char* kEnSecond[] = {"Analytics", "Logistics", "Health", "Foods", "Capital",
    "Robotics", "Labs", "Media", "Partners", "Systems", "Retail", "Consulting", "Energy",
    "Solutions", "Pharma", "Outfitters"};
inline constexpr const char* kEnForm[] = {"", "", "Ltd", "Inc.", "LLC", "plc"};
inline constexpr const char* kNoFirst[] = {"Ålesund", "Fjord", "Nordkapp", "Bjørk", "Solvik",
    "Kvarn", "Göta", "Skåne", "Tromsø", "Viken", "Åbo", "Lysekil"};
inline constexpr const char* kNoSecond[] = {"Fisk", "Shipping", "Data", "Bygg", "Energi", "Trä",
    "Marin", "Handel", "Møbler", "Konsult"};
inline constexpr const char* kNoForm[] = {"AS", "AB", "Oy", "ApS"};
inline constexpr const char* kShopFirst[] = {"Café", "Bäckerei", "Atelier", "Studio", "Praxis",
    "Restaurant", "Boutique", "Salon", "Weingut", "Buchhandlung"};
inline constexpr const char* kShopSecond[] = {"Mokka", "Lumière", "Zoë", "Sonnenschein", "Amélie",
    "Côte d'Azur", "Olivia", "Fjøra", "Kranich", "Bella Vista", "Morgenrot", "Nußbaum"};
inline constexpr const char* kNoForm0[] = {""};
inline constexpr const char* kSurnames[] = {"Müller", "Schröder", "Weiß", "Köhler", "Jørgensen",
    "Núñez", "Dvořák", "Çelik", "Łukasik", "O'Brien", "Smith", "Janssen", "Rossi", "Lefèvre",
    "Nakamura", "Hoffmann"};
inline constexpr const char* kFamilyForm[] = {"& Söhne AG", "& Töchter GmbH", "& Co. KG", "Brothers Ltd",
    "& Fils SARL", "Holding B.V."};
inline constexpr const char* kPartnerForm[] = {"& Partner mbB", "& Partner Steuerberater", "LLP"};
// Styles: German, English, Nordic, shop, family ("Köhler & Söhne AG"),
// partnership ("Rossi, Janssen & Partner mbB": a comma, so CSV must quote it).
inline constexpr NameStyle kStyles[] = {
    {GEN_LIST(kDeFirst), GEN_LIST(kDeSecond), GEN_LIST(kDeForm)},
    {GEN_LIST(kEnFirst), GEN_LIST(kEnSecond), GEN_LIST(kEnForm)},
    {GEN_LIST(kNoFirst), GEN_LIST(kNoSecond), GEN_LIST(kNoForm)},
    {GEN_LIST(kShopFirst), GEN_LIST(kShopSecond), GEN_LIST(kNoForm0)},
    {GEN_LIST(kSurnames), GEN_LIST(kSurnames), GEN_LIST(kFamilyForm)},
    {GEN_LIST(kSurnames), GEN_LIST(kSurnames), GEN_LIST(kPartnerForm)},
};
#undef GEN_LIST
// Style weights per segment (enterprise, mid-market, smb).
inline constexpr double kStyleWeights[3][6] = {
    {40, 35, 15, 0, 10, 0}, {35, 30, 12, 3, 12, 8}, {25, 20, 8, 25, 12, 10}};
inline constexpr const char* kBranches[] = {"Hamburg", "München", "Köln", "Zürich", "Wien",
    "Göteborg", "Lyon", "Rotterdam", "Leeds", "Kraków", "Malmö", "Düsseldorf"};

// ---- Comments: [band][theme][3]; bands 0-3, 4-6, 7-8, 9-10 ----------------
inline constexpr const char* kComments[4][kThemes][3] = {
  {{"The dashboards crash every time we export more than a month of data.", "Since the last update our reports show wrong totals, and nobody can tell us why.", "Data sync has been broken for two weeks. Unacceptable."},
   {"Opened a ticket 12 days ago, still no answer.", "Support closes tickets without fixing anything.", "We were told \"it's on the roadmap\" for the third time."},
   {"You doubled the price at renewal without any warning.", "Far too expensive for what we actually use.", "We pay for the enterprise tier and get basic-tier service."},
   {"Nobody on my team can build a report without calling support.", "The new interface is a mess; we lost hours finding basic settings.", "Way too complicated, we went back to spreadsheets."},
   {"Nobody told us about the maintenance window, we lost a full day.", "Our account manager changed three times this year and never called back.", "Big promises in the sales call, silence after signing."},
   {"Charged twice in July and still waiting for the refund.", "Invoices are wrong every single month.", "You keep billing us for 40 seats, we have 12."},
   {"The integration was promised for June. It is now October.", "Onboarding still not finished after four months.", "Missed every go-live date, we look bad in front of our board."}},
  {{"Reports are fine, but the app is slow on larger data sets.", "Too many small bugs after each release.", "Works, mostly. Exports to Excel still break the formatting."},
   {"Support is friendly but it takes days to get a real answer.", "Answers are slow, and we have to explain the problem twice.", "Chat support only in English and only during US hours."},
   {"OK product, but not worth the latest price increase.", "The add-ons should be included at this price.", "Hard to justify the cost to our CFO."},
   {"Takes a long time to learn, the documentation doesn't help much.", "Too many clicks for simple things.", "Setting up user permissions is confusing."},
   {"Release notes arrive after the changes, not before.", "We'd like to hear from our account manager more than once a year.", "Emails are too generic; we don't know what applies to us."},
   {"The invoice format doesn't work with our accounting system.", "Had to chase a credit note for weeks.", "Billing portal is confusing, we can't find old invoices."},
   {"Implementation took longer than planned.", "The data migration needed a lot of our own time.", "Training sessions were postponed twice."}},
  {{"Solid product, a few rough edges in the mobile app.", "Good reports, would love more chart types.", "Reliable, though the API could be faster."},
   {"Support usually helps, sometimes slow.", "Good support once you reach the right person.", "Quick answers on chat, slower on email."},
   {"Fair price, though the yearly increase hurts.", "Good value for the core features.", "Pricing is OK, but the \"Plus\" and \"Pro\" tiers are confusing."},
   {"Easy for basics, advanced filters take practice.", "Mostly intuitive, the new menu needs getting used to.", "Our analysts like it, managers find it a bit complex."},
   {"Good newsletters, a bit too many of them.", "Our account manager is helpful when we reach her.", "Would like a heads-up before UI changes."},
   {"Billing works, the portal could be clearer.", "No issues with invoices, just wish for quarterly billing.", "Invoices are correct; payment by card would help."},
   {"Go-live was a week late but went smoothly.", "Onboarding was good, the training could be shorter.", "Delivered what was agreed, with some delays."}},
  {{"Great product, our weekly reports now take minutes, not hours.", "Rock solid, hardly any downtime this year.", "The new forecasting module is excellent."},
   {"Support answers within the hour, every time.", "Fantastic support team, they really know the product.", "Marta from support solved our issue on a Sunday!"},
   {"Great value for money.", "Pays for itself, we cut two manual reporting jobs.", "Fair, transparent pricing."},
   {"So easy to use, the whole team was up and running in a day.", "Intuitive, even our sales team builds their own dashboards.", "Clean interface, everything where you expect it."},
   {"Always kept in the loop, great account management.", "Clear release notes and helpful webinars.", "Our account manager knows our business, thank you!"},
   {"Billing is simple and always correct.", "Clear invoices, no surprises.", "Switching to annual billing was painless."},
   {"Implementation was on time and on budget.", "Smooth onboarding, the project team was excellent.", "Go-live exactly as planned, impressive."}}};
inline constexpr const char* kOpeners[4][3] = {
    {"Very disappointed.", "Not what we were promised.", "Third time we raise this."},
    {"Mixed feelings.", "Could be better.", "Some good, some bad."},
    {"Overall good.", "Pretty happy.", "Not bad."},
    {"Love it!", "Excellent.", "Wir sind sehr zufrieden."}};
inline constexpr const char* kClosers[4][3] = {
    {"We are looking at alternatives.", "Our contract is up for renewal, please call me.", "If this isn't fixed we will cancel."},
    {"Hope this gets better.", "The people are nice, though.", "Please fix this."},
    {"Would be a 9 with that fixed.", "Keep improving!", "Thanks."},
    {"Keep it up!", "Already recommended you to two partners.", "Weiter so!"}};

// ---- Churn reasons: [theme][3], then generic ones -------------------------
inline constexpr const char* kReasons[kThemes][3] = {
    {"Too many bugs after the spring release", "Reports were unreliable, numbers did not match", "Missing features we needed"},
    {"Support tickets went unanswered for weeks", "No dedicated contact after onboarding", "Support too slow for a business-critical tool"},
    {"Moved to a cheaper competitor", "Price increase at renewal", "Not enough value for the price"},
    {"Team never adopted the tool", "Too complex for our small team", "Went back to spreadsheets"},
    {"Account manager changed three times", "Never informed about the \"Pro\" plan changes", "Felt ignored after signing"},
    {"Repeated invoicing errors", "Charged for seats we had cancelled", "Refund took three months"},
    {"Integration delivered four months late", "Onboarding never finished", "Go-live dates missed repeatedly"}};
inline constexpr const char* kGenericReasons[] = {
    "Acquired; consolidated on the parent company's vendor", "Business closed", "Budget cuts",
    "Project ended", "Internal tool built in-house"};

}  // namespace gen
