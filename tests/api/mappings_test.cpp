// Each mapping shipped in examples/mappings/ imports the sample export beside
// it (examples/mappings/samples/) into the expected responses. The samples
// carry what real exports carry: a UTF-8 BOM, CRLF line ends, quoted comments
// with quotes, commas and newlines, non-ASCII names, several header rows and
// local 12-hour times around DST changes.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "api/io/record_source.h"
#include "tests/support/test_util.h"

namespace turnaround::api {
namespace {

// Rows one per line, so a failed CHECK shows them.
std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

const std::string kDir = std::string(TURNAROUND_SOURCE_DIR) + "/examples/mappings/";

std::string number(double d) {
  std::ostringstream out;
  out.precision(15);
  out << d;
  return out.str();
}

// "LINE | response_id | customer_id | name | segment | arr | score | responded_at | comment"
std::string describe(const ParsedRow& row) {
  if (const RowError* e = row.error()) return std::to_string(row.line) + " error: " + e->message;
  const Response& r = *row.response();
  return std::to_string(row.line) + " | " + r.response_id.value + " | " + r.customer_id.value +
         " | " + r.customer_name + " | " + r.segment + " | " + number(r.arr) + " | " +
         std::to_string(r.score) + " | " + format_instant(r.responded_at) + " | " + r.comment;
}

std::vector<std::string> import_sample(const std::string& tool) {
  SourceOptions options;
  options.map_path = kDir + tool + ".yaml";
  Diagnostics diags;
  const std::string sample = kDir + "samples/" + tool + ".csv";
  auto source = open_record_source(sample, options, diags);
  REQUIRE_MESSAGE(source.ok(), source.status().message());
  std::vector<std::string> rows;
  ParsedRow row;
  while ((*source)->next(row)) rows.push_back(describe(row));
  CHECK((*source)->status().ok());
  CHECK((*source)->bytes_read() == std::filesystem::file_size(sample));
  CHECK((*source)->total_bytes() == std::filesystem::file_size(sample));
  return rows;
}

bool starts_with_bom_and_uses_crlf(const std::string& tool) {
  std::ifstream in(kDir + "samples/" + tool + ".csv", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.starts_with("\xEF\xBB\xBF") && text.find("\r\n") != std::string::npos;
}

TEST_CASE("Mappings.SamplesLookLikeRealExports") {
  for (const char* tool : {"surveymonkey", "qualtrics", "typeform", "delighted"}) {
    CAPTURE(tool);
    CHECK(starts_with_bom_and_uses_crlf(tool));
  }
}

TEST_CASE("Mappings.SurveyMonkey") {
  // Two header rows; 12-hour times in America/New_York, which springs forward
  // on 2026-03-08 at 02:00 and falls back on 2026-11-01 at 02:00.
  CHECK(joined(import_sample("surveymonkey")) ==
        joined(std::vector<std::string>{
            "3 | 114239810345 | C-1001 | Zoë Müller | smb | 18000 | 3 | 2026-03-08T06:45:12Z | "
            "Support took \"forever\" to answer, and the export broke twice.",
            "4 | 114239810346 | C-1002 | José Álvarez | smb | 52000.5 | 9 | "
            "2026-03-08T19:10:00Z | Great product.\nThe new dashboards are exactly what we "
            "needed.",
            "6 | 114239810347 | C-1003 | 渡辺 | smb | 9600 | 0 | 2026-03-01T05:20:00Z | "
            "Billing, billing, billing; nobody fixes it.",
            "7 | 114239810348 | C-1004 | Raman Logistics | smb | 0 | 6 | 2026-11-01T05:30:00Z | "
            "It works, but setup was \"painful\".",
            "8 | 114239810349 | C-1005 | Wei & Sons, Ltd. | smb | 240000 | 10 | "
            "2026-03-09T16:05:00Z | ",
            "9 | 114239810350 | C-1006 | Åsa Lindqvist AB | smb | 31000 | 7 | "
            "2026-04-02T13:15:30Z | Fine for now",
        }));
}

TEST_CASE("Mappings.Qualtrics") {
  // Three header rows (ids, question text, ImportId JSON); local times in
  // Europe/Berlin, which springs forward on 2026-03-29 at 02:00 and falls
  // back on 2026-10-25 at 03:00.
  CHECK(joined(import_sample("qualtrics")) ==
        joined(std::vector<std::string>{
            "4 | R_1a2B3c4D5e6F7g8 | C-2001 | Müller Feinkost GmbH | mid-market | 84000 | 2 | "
            "2026-03-29T00:59:00Z | Preise sind gestiegen, Leistung nicht. \"Premium\" ist ein "
            "Witz.",
            "5 | R_2b3C4d5E6f7G8h9 | C-2002 | Álvarez y Hijos S.L. | enterprise | 410000 | 10 | "
            "2026-03-29T01:00:00Z | Rapid support.\nThey called me back the same day.",
            "7 | R_3c4D5e6F7g8H9i0 | C-2003 | 渡辺 | smb | 12000 | 4 | 2026-03-02T07:14:31Z | "
            "Onboarding, training, documentation: all missing.",
            "8 | R_4d5E6f7G8h9I0j1 | C-2004 | Nowak Sp. z o.o. | smb | 15500.75 | 8 | "
            "2026-10-25T00:30:00Z | Solid, but the mobile app lags",
            "9 | R_5e6F7g8H9i0J1k2 | C-2005 | Dupont & Fils | mid-market | 67000 | 6 | "
            "2026-01-15T15:45:59Z | ",
        }));
}

TEST_CASE("Mappings.Typeform") {
  CHECK(joined(import_sample("typeform")) ==
        joined(std::vector<std::string>{
            "2 | x8k2b1mfq0z7r1x8k2b1m7w3ta9lq0vd | C-3001 | Zoë Müller | smb | 9000 | 2 | "
            "2026-03-05T14:21:07Z | The \"smart\" alerts fire at 3am, every night, for nothing.",
            "3 | q3n8v0s1p2m9k4x7q3n8v0s1p2m9k4x7 | C-3002 | José Álvarez | enterprise | 380000 "
            "| 10 | 2026-03-06T09:03:40Z | Everything just works.\nKeep it up!",
            "5 | j7w2c9d4e1f6g3h8j7w2c9d4e1f6g3h8 | C-3003 | 渡辺 | mid-market | 45250.25 | 5 | "
            "2026-03-08T00:01:02Z | Pricing page says one thing, invoice says another",
            "6 | m5t8r2y6u1i9o3p7m5t8r2y6u1i9o3p7 | C-3004 | Kowalski Bakery | smb | 0 | 8 | "
            "2026-03-09T11:12:45Z | ",
            "7 | z1a2q3w4s5x6e7d8z1a2q3w4s5x6e7d8 | C-3005 | Ngozi Okafor | smb | 4800 | 0 | "
            "2026-03-10T17:44:19Z | Cancelled. Support closed my ticket without reading it; twice.",
        }));
}

TEST_CASE("Mappings.Delighted") {
  // Times carry their own offsets ("%z").
  CHECK(joined(import_sample("delighted")) ==
        joined(std::vector<std::string>{
            "2 | 402118833 | C-4001 | Müller Feinkost GmbH | Growth | 36000 | 1 | "
            "2026-03-04T00:04:11Z | Three invoices, three different totals. \"Accurate "
            "billing\" my foot.",
            "3 | 402118834 | C-4002 | Álvarez, Ruiz & Asociados | Enterprise | 250000 | 9 | "
            "2026-03-04T08:30:00Z | Love the API.\n\nThe webhooks could be faster, though.",
            "6 | 402118835 | C-4003 | 渡辺 | Starter | 6000 | 4 | 2026-03-05T02:15:42Z | "
            "サポートの返信が遅い。",
            "7 | 402118836 | C-4004 | Raman Logistics | Growth | 41000.5 | 7 | "
            "2026-03-08T06:59:59Z | ",
            "8 | 402118837 | C-4005 | O'Neil Hardware | Starter | 0 | 10 | 2026-03-10T18:22:05Z | "
            "Best tool we bought this year!",
        }));
}

}  // namespace
}  // namespace turnaround::api
