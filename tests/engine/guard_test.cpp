#include "engine/guard.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/support/test_util.h"

namespace turnaround {
namespace {

// Parses `text` (which must be valid) and evaluates it against `values`.
bool eval(const std::string& text, const FieldValues& values = {}) {
  auto g = Guard::parse(text);
  REQUIRE_MESSAGE(g.ok(), (text + ": " + g.status().to_string()));
  return g->evaluate(MapScope(values));
}

// A scope that counts lookups, to observe short-circuiting.
class CountingScope final : public GuardScope {
 public:
  explicit CountingScope(FieldValues values) : inner_(std::move(values)) {}
  Value lookup(std::string_view name) const override {
    ++lookups;
    return inner_.lookup(name);
  }
  mutable int lookups = 0;

 private:
  MapScope inner_;
};

TEST_CASE("Guard.DefaultIsAlwaysTrue") {
  Guard g;
  CHECK(g.text() == "true");
  CHECK(g.names().empty());
  CHECK(g.evaluate(MapScope({})));
  Guard copy = g;
  CHECK(copy.evaluate(MapScope({{"x", false}})));
}

TEST_CASE("Guard.MapScopeLookup") {
  MapScope scope({{"score", 3}, {"actor.roles", Value::List{"ops_lead"}}});
  CHECK(scope.lookup("score") == Value(3));
  CHECK(scope.lookup("actor.roles") == Value(Value::List{"ops_lead"}));
  CHECK(scope.lookup("missing").is_null());
  CHECK(scope.lookup("actor").is_null());
}

TEST_CASE("Guard.DocumentedExamples") {
  CHECK(eval("score <= 3", {{"score", 2}}));
  CHECK(eval("score <= 3", {{"score", 3}}));
  CHECK_FALSE(eval("score <= 3", {{"score", 4}}));
  CHECK_FALSE(eval("score <= 3"));  // unknown name is null; null < number is false

  FieldValues big{{"arr", 200000}, {"segment", "enterprise"}};
  CHECK(eval("arr >= 150000 and segment == \"enterprise\"", big));
  CHECK_FALSE(eval("arr >= 150000 and segment == \"enterprise\"",
                   {{"arr", 100000}, {"segment", "enterprise"}}));
  CHECK_FALSE(
      eval("arr >= 150000 and segment == 'enterprise'", {{"arr", 200000}, {"segment", "smb"}}));

  CHECK(eval("\"billing\" in themes", {{"themes", Value::List{"price", "billing"}}}));
  CHECK_FALSE(eval("\"billing\" in themes", {{"themes", Value::List{"price"}}}));
  CHECK_FALSE(eval("\"billing\" in themes"));

  CHECK(eval("not danger_zone", {{"danger_zone", false}}));
  CHECK_FALSE(eval("not danger_zone", {{"danger_zone", true}}));
  CHECK(eval("not danger_zone"));

  CHECK(eval("segment in [\"smb\", \"mid-market\"]", {{"segment", "mid-market"}}));
  CHECK_FALSE(eval("segment in [\"smb\", \"mid-market\"]", {{"segment", "enterprise"}}));
  CHECK_FALSE(eval("segment in [\"smb\", \"mid-market\"]"));

  CHECK(eval("budget_amendment >= 0", {{"budget_amendment", 0}}));
  CHECK_FALSE(eval("budget_amendment >= 0", {{"budget_amendment", -5}}));
  CHECK_FALSE(eval("budget_amendment >= 0"));

  CHECK(eval("\"ops_lead\" in actor.roles", {{"actor.roles", Value::List{"agent", "ops_lead"}}}));
  CHECK_FALSE(eval("\"ops_lead\" in actor.roles", {{"actor.roles", Value::List{"agent"}}}));
}

TEST_CASE("Guard.AndBindsTighterThanOr") {
  // a or (b and c), not (a or b) and c.
  CHECK(eval("a or b and c", {{"a", true}, {"b", false}, {"c", false}}));
  CHECK(eval("b and c or a", {{"a", true}, {"b", false}, {"c", false}}));
  CHECK_FALSE(eval("(a or b) and c", {{"a", true}, {"b", false}, {"c", false}}));
  CHECK(eval("a and b or c", {{"a", false}, {"b", true}, {"c", true}}));
  CHECK_FALSE(eval("a and (b or c)", {{"a", false}, {"b", true}, {"c", true}}));
  CHECK(eval("a or b or c", {{"c", true}}));
  CHECK_FALSE(eval("a and b and c", {{"a", true}, {"b", true}}));
  CHECK(eval("x > 1 and x < 5 or x == 10", {{"x", 10}}));
  CHECK(eval("x > 1 and x < 5 or x == 10", {{"x", 3}}));
  CHECK_FALSE(eval("x > 1 and x < 5 or x == 10", {{"x", 7}}));
}

TEST_CASE("Guard.NotPrecedence") {
  // `not` binds tighter than and/or but looser than comparisons.
  CHECK_FALSE(eval("not a and b", {{"a", false}, {"b", false}}));
  CHECK(eval("not (a and b)", {{"a", false}, {"b", false}}));
  CHECK(eval("not a or b", {{"a", false}, {"b", false}}));
  CHECK(eval("not x == 1", {{"x", 2}}));
  CHECK_FALSE(eval("not x == 1", {{"x", 1}}));
  CHECK(eval("not not x", {{"x", true}}));
  CHECK_FALSE(eval("not not not x", {{"x", true}}));
  CHECK(eval("not \"vip\" in tags", {{"tags", Value::List{"smb"}}}));
}

TEST_CASE("Guard.InAndNotIn") {
  CHECK(eval("3 in [1, 2, 3]"));
  CHECK_FALSE(eval("4 in [1, 2, 3]"));
  CHECK_FALSE(eval("\"3\" in [1, 2, 3]"));  // kinds differ
  CHECK(eval("x in [1, \"a\", true]", {{"x", true}}));
  CHECK(eval("x in [y, z]", {{"x", "b"}, {"z", "b"}}));
  CHECK_FALSE(eval("x in []", {{"x", "a"}}));
  CHECK(eval("x not in []", {{"x", "a"}}));
  CHECK(eval("segment not in [\"smb\", \"mid-market\"]", {{"segment", "enterprise"}}));
  CHECK_FALSE(eval("segment not in ['smb', 'mid-market']", {{"segment", "smb"}}));
  CHECK(eval("\"pricing\" not in themes", {{"themes", Value::List{"billing"}}}));
  // Substring of a text; texts compared exactly in lists.
  CHECK(eval("\"refund\" in comment", {{"comment", "asked for a refund twice"}}));
  CHECK_FALSE(eval("\"Refund\" in comment", {{"comment", "asked for a refund twice"}}));
  CHECK_FALSE(eval("\"bill\" in themes", {{"themes", Value::List{"billing"}}}));
  CHECK(eval("\"\" in comment", {{"comment", "x"}}));
  // Only texts are looked for in a data list or text.
  CHECK_FALSE(eval("3 in themes", {{"themes", Value::List{"3"}}}));
  CHECK_FALSE(eval("\"a\" in n", {{"n", 5}}));
  CHECK_FALSE(eval("\"a\" in missing"));
  CHECK(eval("\"a\" not in missing"));
}

TEST_CASE("Guard.NullSemantics") {
  CHECK(eval("x == null"));
  CHECK_FALSE(eval("x != null"));
  CHECK(eval("x != null", {{"x", 0}}));
  CHECK_FALSE(eval("x == null", {{"x", ""}}));  // an empty text is not null
  CHECK(eval("null == null"));
  CHECK_FALSE(eval("x < 5"));
  CHECK_FALSE(eval("x >= 5"));
  CHECK_FALSE(eval("x <= x"));
  CHECK_FALSE(eval("null"));
  CHECK_FALSE(eval("x"));
  CHECK(eval("not x"));
  CHECK_FALSE(eval("x == y and x"));
  CHECK(eval("x == y"));  // both unknown: both null
}

TEST_CASE("Guard.ComparisonsByKind") {
  CHECK(eval("1.5 < 2"));
  CHECK(eval("-1 < 0"));
  CHECK(eval("x<-1", {{"x", -3}}));
  CHECK(eval("3 == 3.0"));
  CHECK(eval("x >= 0.25", {{"x", 0.5}}));
  CHECK(eval("\"apple\" < \"banana\""));
  CHECK(eval("name >= \"m\"", {{"name", "zed"}}));
  CHECK_FALSE(eval("\"Zed\" > \"apple\""));  // byte order: upper case first
  CHECK_FALSE(eval("\"3\" == 3"));
  CHECK(eval("\"10\" != 10"));
  CHECK_FALSE(eval("\"3\" < 4"));
  CHECK_FALSE(eval("\"3\" >= 4"));
  CHECK_FALSE(eval("true > false"));
  CHECK(eval("flag == true", {{"flag", true}}));
  CHECK_FALSE(eval("flag == 1", {{"flag", true}}));
  CHECK(eval("themes == themes", {{"themes", Value::List{"a"}}}));
  CHECK(eval("(a < b) == true", {{"a", 1}, {"b", 2}}));
}

TEST_CASE("Guard.BareOperandTruthiness") {
  CHECK(eval("true"));
  CHECK_FALSE(eval("false"));
  CHECK(eval("x", {{"x", true}}));
  CHECK_FALSE(eval("x", {{"x", false}}));
  CHECK(eval("x", {{"x", 5}}));
  CHECK(eval("x", {{"x", -0.5}}));
  CHECK_FALSE(eval("x", {{"x", 0}}));
  CHECK(eval("x", {{"x", "text"}}));
  CHECK_FALSE(eval("x", {{"x", ""}}));
  CHECK(eval("x", {{"x", Value::List{"a"}}}));
  CHECK_FALSE(eval("x", {{"x", Value::List{}}}));
  CHECK(eval("0.1"));
  CHECK_FALSE(eval("0"));
  CHECK(eval("'a'"));
  CHECK_FALSE(eval("''"));
  CHECK(eval("[1]"));
  CHECK_FALSE(eval("[]"));
  CHECK(eval("((x))", {{"x", 1}}));
}

TEST_CASE("Guard.StringsAndWhitespace") {
  CHECK(eval("name == 'O\\'Brien'", {{"name", "O'Brien"}}));
  CHECK(eval("name == \"say \\\"hi\\\"\"", {{"name", "say \"hi\""}}));
  CHECK(eval("path == 'a\\\\b'", {{"path", "a\\b"}}));
  CHECK(eval("name == \"it's\"", {{"name", "it's"}}));
  CHECK(eval("\t a ==\n 1 \r\n", {{"a", 1}}));
  CHECK(eval("a==1 and(b==2)", {{"a", 1}, {"b", 2}}));
  CHECK(eval("_private_1.x_2 == 1", {{"_private_1.x_2", 1}}));
}

TEST_CASE("Guard.ShortCircuits") {
  auto g = Guard::parse("a and b");
  REQUIRE(g.ok());
  CountingScope falsy({{"a", false}});
  CHECK_FALSE(g->evaluate(falsy));
  CHECK(falsy.lookups == 1);
  auto h = Guard::parse("a or b");
  REQUIRE(h.ok());
  CountingScope truthy({{"a", true}});
  CHECK(h->evaluate(truthy));
  CHECK(truthy.lookups == 1);
}

TEST_CASE("Guard.NamesCollectsEveryName") {
  auto g = Guard::parse(
      "actor.roles == c and \"x\" in d or not e and f in [g, 1, 'h'] or (score <= 3 and score > "
      "0)");
  REQUIRE_MESSAGE(g.ok(), g.status());
  CHECK(g->names() == std::set<std::string>{"actor.roles", "c", "d", "e", "f", "g", "score"});
  auto literals = Guard::parse("true and not false or null == 1 or 'name' in [\"x\"]");
  REQUIRE(literals.ok());
  CHECK(literals->names().empty());
}

TEST_CASE("Guard.KeepsSourceText") {
  const std::string text = "  score <= 3  ";
  auto g = Guard::parse(text);
  REQUIRE(g.ok());
  CHECK(g->text() == text);
  Guard copy = *g;  // copies share the immutable tree
  CHECK(copy.evaluate(MapScope({{"score", 1}})));
  CHECK(copy.text() == text);
}

TEST_CASE("Guard.ParseErrorsReportColumn") {
  struct Case {
    const char* text;
    const char* message;
    int column;
  };
  const Case cases[] = {
      {"", "empty expression", 1},
      {"   ", "empty expression", 1},
      {"score <=", "unexpected end of expression, expected an operand", 9},
      {"not", "unexpected end of expression, expected an operand", 4},
      {"a and", "unexpected end of expression, expected an operand", 6},
      {"name == \"abc", "unterminated string", 9},
      {"name == 'abc\\'", "unterminated string", 9},
      {"name =~ \"x\"", "unknown operator '=~'", 6},
      {"a = 1", "unknown operator '=' (use '==' to compare)", 3},
      {"a && b", "unknown operator '&&' (use 'and')", 3},
      {"a || b", "unknown operator '||' (use 'or')", 3},
      {"! a", "unknown operator '!' (use 'not')", 1},
      {"a <> b", "unknown operator '<>'", 3},
      {"a - 1", "unknown operator '-'", 3},
      {"(a or b", "unexpected end of expression, expected ')' to close '(' at column 1", 8},
      {"x and (a or b]", "expected ')' to close '(' at column 7, found ']'", 14},
      {"a or b)", "unmatched ')'", 7},
      {"a < b < c", "comparisons cannot be chained; combine them with 'and'", 7},
      {"a == b not in c", "comparisons cannot be chained; combine them with 'and'", 8},
      {"and x", "expected an operand, found 'and'", 1},
      {"a == or", "expected an operand, found 'or'", 6},
      {"a b", "unexpected 'b', expected 'and', 'or' or the end of the expression", 3},
      {"a not b", "unexpected 'not', expected 'and', 'or' or the end of the expression", 3},
      {"x in [1, 2", "unexpected end of expression, expected ',' or ']' in list", 11},
      {"x in [1 2]", "expected ',' or ']' in list, found '2'", 9},
      {"x in [1,]", "expected an operand, found ']'", 9},
      {"a @ b", "unexpected character '@'", 3},
      {"12abc > 1", "malformed number '12abc'", 1},
      {"x > 1.2.3", "malformed number '1.2.3'", 5},
      {"actor. roles", "expected a name after '.'", 7},
      {"actor.", "expected a name after '.'", 7},
      {"a==1and b", "malformed number '1and'", 4},
      {"'a\\nb' == x", "unknown escape '\\n' in string", 3},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    int column = -1;
    auto g = Guard::parse(c.text, &column);
    REQUIRE_FALSE(g.ok());
    CHECK(g.status().code() == StatusCode::kInvalidArgument);
    CHECK_MESSAGE(g.status().message().find(c.message) == 0, g.status().message());
    CHECK(column == c.column);
  }
}

TEST_CASE("Guard.ParseErrorWithoutColumnPointer") {
  auto g = Guard::parse("a ==");
  REQUIRE_FALSE(g.ok());
  CHECK(g.status().message() == "unexpected end of expression, expected an operand");
  int column = -1;
  CHECK(Guard::parse("a == 1", &column).ok());
  CHECK(column == -1);  // untouched on success
}

// Nesting and length are bounded with a message naming the column: 20,000
// '(' or 200,000 'not's ran the parser out of stack (validate died with
// SIGSEGV), and an `and` chain is a tree as deep as it is long.
TEST_CASE("Guard.DeepOrLongExpressionsAreRefused") {
  auto refused = [](const std::string& text, const std::string& message, int column) {
    int at = -1;
    auto g = Guard::parse(text, &at);
    REQUIRE_FALSE(g.ok());
    CHECK(g.status().message() == message);
    CHECK(at == column);
  };
  refused(std::string(20000, '(') + "score < 3" + std::string(20000, ')'),
          "the expression is longer than 1000 tokens", 1001);
  refused(std::string(70, '(') + "score < 3" + std::string(70, ')'),
          "the expression nests parentheses and 'not' more than 64 levels deep", 65);
  std::string nots;
  for (int i = 0; i < 70; ++i) nots += "not ";
  refused(nots + "a", "the expression nests parentheses and 'not' more than 64 levels deep", 257);
  std::string chain = "a";
  for (int i = 0; i < 600; ++i) chain += " and a";
  refused(chain, "the expression is longer than 1000 tokens", 3001);  // the 1001st token
  // Up to the limits, fine.
  CHECK(eval(std::string(64, '(') + "1 < 3" + std::string(64, ')')));
  std::string long_ok = "a";
  for (int i = 0; i < 400; ++i) long_ok += " or a";
  CHECK(eval(long_ok, {{"a", Value(true)}}));
}

}  // namespace
}  // namespace turnaround
