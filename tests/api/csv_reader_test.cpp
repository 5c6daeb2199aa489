#include "api/io/csv_reader.h"

#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_util.h"

namespace turnaround::api {
namespace {

// Every record as "LINE: f1|f2|...", every error as "error LINE:COLUMN: msg".
std::vector<std::string> read_all(const std::string& text, CsvOptions options = {}) {
  std::istringstream in(text);
  CsvReader reader(in, options);
  CsvRecord record;
  std::vector<std::string> out;
  for (;;) {
    const auto r = reader.next(record);
    if (r == CsvReader::Read::kEnd) break;
    if (r == CsvReader::Read::kError) {
      const CsvError& e = reader.error();
      out.push_back("error " + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " +
                    e.message);
      continue;
    }
    std::string line = std::to_string(record.line()) + ":";
    for (std::size_t i = 0; i < record.size(); ++i) {
      line += (i == 0 ? " " : "|");
      line += record[i];
    }
    out.push_back(line);
  }
  return out;
}

using Lines = std::vector<std::string>;

// Rows one per line, so a failed CHECK shows them.
std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

TEST_CASE("CsvReader.SimpleLf") {
  CHECK(joined(read_all("a,b,c\n1,2,3\n")) == joined(Lines{"1: a|b|c", "2: 1|2|3"}));
}

TEST_CASE("CsvReader.CrlfAndBom") {
  CHECK(joined(read_all("\xEF\xBB\xBFid,name\r\n1,Zoë\r\n2,渡辺\r\n")) ==
        joined(Lines{"1: id|name", "2: 1|Zoë", "3: 2|渡辺"}));
}

TEST_CASE("CsvReader.BomOnlyAtStart") {
  // A BOM later in the file is data, not skipped.
  CHECK(joined(read_all("a\n\xEF\xBB\xBF"
                        "b\n")) == joined(Lines{"1: a",
                                                "2: \xEF\xBB\xBF"
                                                "b"}));
}

TEST_CASE("CsvReader.QuotedDelimiterAndEscapedQuote") {
  CHECK(joined(read_all("1,\"Hello, \"\"world\"\"\",x\n")) ==
        joined(Lines{"1: 1|Hello, \"world\"|x"}));
  CHECK(joined(read_all("\"\"\"\"\n")) == joined(Lines{"1: \""}));
  CHECK(joined(read_all("\"\",b\n")) == joined(Lines{"1: |b"}));
}

TEST_CASE("CsvReader.QuotedNewline") {
  const auto lines = read_all("id,comment\r\n1,\"first\r\nsecond\nthird\"\r\n2,after\r\n");
  CHECK(joined(lines) ==
        joined(Lines{"1: id|comment", "2: 1|first\r\nsecond\nthird", "5: 2|after"}));
}

TEST_CASE("CsvReader.EmptyFieldsAndTrailingDelimiter") {
  CHECK(joined(read_all(",,\na,,b\nc,\n")) == joined(Lines{"1: ||", "2: a||b", "3: c|"}));
}

TEST_CASE("CsvReader.NoFinalLineEnd") {
  CHECK(joined(read_all("a,b\n1,2")) == joined(Lines{"1: a|b", "2: 1|2"}));
  CHECK(joined(read_all("a,\"q\"")) == joined(Lines{"1: a|q"}));
  CHECK(joined(read_all("a,")) == joined(Lines{"1: a|"}));
}

TEST_CASE("CsvReader.EmptyInput") {
  CHECK(read_all("").empty());
  CHECK(read_all("\xEF\xBB\xBF").empty());
  CHECK(read_all("\n\r\n").empty());
}

TEST_CASE("CsvReader.BlankLinesSkippedButCounted") {
  CHECK(joined(read_all("a\n\n\r\nb\n")) == joined(Lines{"1: a", "4: b"}));
}

TEST_CASE("CsvReader.LoneCarriageReturn") {
  CHECK(joined(read_all("a,b\rc,d\r")) == joined(Lines{"1: a|b", "2: c|d"}));
}

TEST_CASE("CsvReader.OtherDelimiters") {
  CsvOptions semicolon;
  semicolon.delimiter = ';';
  CHECK(joined(read_all("a;\"b;c\";d,e\n", semicolon)) == joined(Lines{"1: a|b;c|d,e"}));
  CsvOptions tab;
  tab.delimiter = '\t';
  CHECK(joined(read_all("a\tb c\t\"d\te\"\n", tab)) == joined(Lines{"1: a|b c|d\te"}));
}

TEST_CASE("CsvReader.StrayQuoteIsAnErrorAndReadingGoesOn") {
  CHECK(joined(read_all("a,b\n1,ab\"c,3\n2,ok\n")) ==
        joined(Lines{
            "1: a|b",
            "error 2:5: stray quote in an unquoted field (quote the whole field and write the "
            "quote twice)",
            "3: 2|ok"}));
}

TEST_CASE("CsvReader.TextAfterClosingQuote") {
  CHECK(
      joined(read_all("\"abc\"def,1\nx\n")) ==
      joined(Lines{"error 1:6: unexpected character after a closing quote (expected a delimiter or "
                   "the end of the line)",
                   "2: x"}));
}

// A quote left open on one row is closed by the first quote of a later row:
// the error names where it opened and the lines swallowed with it (it named
// only the later line, so the rows between vanished without a word).
TEST_CASE("CsvReader.QuoteOpenAcrossRowsIsReportedWhereItOpened") {
  CHECK(joined(read_all("a,b\n1,\"open\n2,x\n3,\"q\",y\n4,z\n")) ==
        joined(Lines{"1: a|b",
                     "error 2:3: this quote is closed only on line 4 (column 3), where a character "
                     "follows it: lines 2-4 were read as one field and are skipped (is this quote "
                     "unbalanced?)",
                     "5: 4|z"}));
}

TEST_CASE("CsvReader.UnterminatedQuoteAtEnd") {
  // Reported where the quote opened, not at the end of the file.
  CHECK(joined(read_all("a,b\r\n1,\"never closed\r\n2,x\r\n3,y\r\n")) ==
        joined(Lines{"1: a|b",
                     "error 2:3: unterminated quoted field: the quote opened here is never "
                     "closed"}));
}

TEST_CASE("CsvReader.ErrorColumnsCountCharacters") {
  // "Zoë,ab" is 6 characters (7 bytes): the stray quote is in column 7.
  CHECK(read_all("Zoë,ab\"c\n").at(0).starts_with("error 1:7: stray quote"));
  // On the second line of a multi-line record, the column is from that line.
  CHECK(read_all("1,\"a\nbc\"x,2\n")
            .at(0)
            .starts_with("error 1:3: this quote is closed only on line 2 (column 3)"));
}

TEST_CASE("CsvReader.TinyBufferGivesTheSameRecords") {
  // Every refill boundary lands somewhere interesting: inside "", between
  // CR and LF, inside a multi-byte character, inside the BOM.
  std::string text = "\xEF\xBB\xBFid,comment,name\r\n";
  for (int i = 0; i < 50; ++i) {
    text += std::to_string(i) + ",\"He said \"\"no\"\",\r\nthen, left\",José Álvarez 渡辺\r\n";
  }
  text += "last,\"\",\r\n";
  CsvOptions tiny;
  tiny.buffer_bytes = 16;
  const auto expected = read_all(text);
  REQUIRE(expected.size() == 52);
  CHECK(expected[1] == "2: 0|He said \"no\",\r\nthen, left|José Álvarez 渡辺");
  CHECK(expected[51] == "102: last||");
  CHECK(read_all(text, tiny) == expected);
}

TEST_CASE("CsvReader.LongQuotedFieldGrowsTheBuffer") {
  const std::string big(100000, 'x');
  CsvOptions small;
  small.buffer_bytes = 1024;
  CHECK(joined(read_all("\"" + big + "\",1\n", small)) == joined(Lines{"1: " + big + "|1"}));
}

TEST_CASE("CsvReader.RecordTooLong") {
  CsvOptions limited;
  limited.max_record_bytes = 100;
  const auto lines = read_all("\"" + std::string(500, 'x') + "\n1,2\n", limited);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].starts_with("error 1:"));
  CHECK(lines[0].find("record is longer than 100 bytes") != std::string::npos);
  CHECK(lines[1] == "2: 1|2");
}

TEST_CASE("CsvReader.BytesReadReachesTheSize") {
  const std::string text =
      "\xEF\xBB\xBF"
      "a,b\r\n1,\"x\ny\"\r\n";
  std::istringstream in(text);
  CsvOptions tiny;
  tiny.buffer_bytes = 16;
  CsvReader reader(in, tiny);
  CsvRecord record;
  std::uint64_t last = 0;
  while (reader.next(record) == CsvReader::Read::kRecord) {
    CHECK(reader.bytes_read() >= last);
    last = reader.bytes_read();
  }
  CHECK(reader.bytes_read() == text.size());
  CHECK_FALSE(reader.stream_failed());
}

TEST_CASE("CsvReader.ManyRowsReuseOneRecord") {
  // 100k rows through one CsvRecord: the record's storage is reused.
  std::string text;
  for (int i = 0; i < 100000; ++i) {
    text += "r" + std::to_string(i) + ",c,\"x, y\",9\n";
  }
  std::istringstream in(text);
  CsvReader reader(in);
  CsvRecord record;
  int rows = 0;
  while (reader.next(record) == CsvReader::Read::kRecord) {
    REQUIRE(record.size() == 4);
    ++rows;
  }
  CHECK(rows == 100000);
  CHECK(record.empty());
}

}  // namespace
}  // namespace turnaround::api
