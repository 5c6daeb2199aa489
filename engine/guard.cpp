#include "engine/guard.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

// A guard is lexed into tokens (each with its 1-based column), parsed by
// recursive descent following the grammar in guard.h, and kept as a tree of
// immutable nodes. Errors carry the column of the offending token; running
// out of input reports the column just past the end.

namespace turnaround {

namespace {

// clang-format off
enum class Tok {
  kEnd, kNumber, kString, kName, kTrue, kFalse, kNull, kAnd, kOr, kNot, kIn,
  kLParen, kRParen, kLBracket, kRBracket, kComma, kEq, kNe, kLt, kLe, kGt, kGe
};
// clang-format on

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // source spelling; the unescaped value for kString
  int column = 0;
  double number = 0;
};

struct ParseError {
  std::string message;
  int column = 0;
};

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }
bool is_operator_char(char c) {
  return std::string_view("=!<>~&|^%*+-/").find(c) != std::string_view::npos;
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  // The tokens, ending with kEnd; std::nullopt with error() set on failure.
  std::optional<std::vector<Token>> run() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < text_.size() &&
             std::string_view(" \t\r\n").find(text_[pos_]) != std::string_view::npos)
        ++pos_;
      if (pos_ >= text_.size()) break;
      std::optional<Token> t = next();
      if (!t) return std::nullopt;
      tokens.push_back(std::move(*t));
    }
    tokens.push_back(Token{Tok::kEnd, "", static_cast<int>(text_.size()) + 1, 0});
    return tokens;
  }
  const ParseError& error() const { return error_; }

 private:
  int column(std::size_t pos) const { return static_cast<int>(pos) + 1; }
  char at(std::size_t pos) const { return pos < text_.size() ? text_[pos] : '\0'; }

  std::optional<Token> fail(std::string message, std::size_t pos) {
    error_ = ParseError{std::move(message), column(pos)};
    return std::nullopt;
  }

  Token make(Tok kind, std::size_t start) {
    return Token{kind, std::string(text_.substr(start, pos_ - start)), column(start), 0};
  }

  std::optional<Token> next() {
    const std::size_t start = pos_;
    const char c = text_[pos_];
    if (is_digit(c) || (c == '-' && is_digit(at(pos_ + 1)))) return number();
    if (c == '"' || c == '\'') return string();
    if (is_name_start(c)) return name();
    static constexpr std::string_view kPunct = "()[],";
    static constexpr Tok kPunctTok[] = {Tok::kLParen, Tok::kRParen, Tok::kLBracket, Tok::kRBracket,
                                        Tok::kComma};
    if (std::size_t i = kPunct.find(c); i != std::string_view::npos) {
      ++pos_;
      return make(kPunctTok[i], start);
    }
    if (is_operator_char(c)) return op();
    return fail(std::string("unexpected character '") + c + "'", start);
  }

  std::optional<Token> number() {
    const std::size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    while (is_digit(at(pos_))) ++pos_;
    if (at(pos_) == '.' && is_digit(at(pos_ + 1))) {
      pos_ += 2;
      while (is_digit(at(pos_))) ++pos_;
    }
    if (is_name_char(at(pos_)) || at(pos_) == '.') {
      while (is_name_char(at(pos_)) || at(pos_) == '.') ++pos_;
      return fail("malformed number '" + std::string(text_.substr(start, pos_ - start)) + "'",
                  start);
    }
    Token t = make(Tok::kNumber, start);
    std::from_chars(t.text.data(), t.text.data() + t.text.size(), t.number);
    return t;
  }

  std::optional<Token> string() {
    const std::size_t start = pos_;
    const char quote = text_[pos_++];
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\') {
        char e = at(pos_ + 1);
        if (e != '"' && e != '\'' && e != '\\') {
          if (pos_ + 1 >= text_.size()) break;  // reported as unterminated below
          return fail(std::string("unknown escape '\\") + e + "' in string (use \\\" \\' or \\\\)",
                      pos_);
        }
        value += e;
        pos_ += 2;
      } else {
        value += text_[pos_++];
      }
    }
    if (pos_ >= text_.size()) return fail("unterminated string", start);
    ++pos_;  // closing quote
    return Token{Tok::kString, std::move(value), column(start), 0};
  }

  std::optional<Token> name() {
    const std::size_t start = pos_;
    while (true) {
      while (is_name_char(at(pos_))) ++pos_;
      if (at(pos_) != '.') break;
      if (!is_name_start(at(pos_ + 1))) return fail("expected a name after '.'", pos_ + 1);
      ++pos_;
    }
    Token t = make(Tok::kName, start);
    static constexpr std::pair<std::string_view, Tok> kKeywords[] = {
        {"and", Tok::kAnd},   {"or", Tok::kOr},       {"not", Tok::kNot},  {"in", Tok::kIn},
        {"true", Tok::kTrue}, {"false", Tok::kFalse}, {"null", Tok::kNull}};
    for (const auto& [word, kind] : kKeywords) {
      if (t.text == word) t.kind = kind;
    }
    return t;
  }

  std::optional<Token> op() {
    const std::size_t start = pos_;
    // A '-' directly before a digit starts a number ("a<-1"), not the operator.
    while (is_operator_char(at(pos_)) &&
           !(at(pos_) == '-' && is_digit(at(pos_ + 1)) && pos_ > start))
      ++pos_;
    const std::string spelling(text_.substr(start, pos_ - start));
    static constexpr std::pair<std::string_view, Tok> kOps[] = {{"==", Tok::kEq}, {"!=", Tok::kNe},
                                                                {"<", Tok::kLt},  {"<=", Tok::kLe},
                                                                {">", Tok::kGt},  {">=", Tok::kGe}};
    for (const auto& [word, kind] : kOps) {
      if (spelling == word) return make(kind, start);
    }
    std::string hint;
    if (spelling == "=") hint = " (use '==' to compare)";
    if (spelling == "&&") hint = " (use 'and')";
    if (spelling == "||") hint = " (use 'or')";
    if (spelling == "!") hint = " (use 'not')";
    return fail("unknown operator '" + spelling + "'" + hint, start);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  ParseError error_;
};

// A guard value is "true" when it is a true boolean, a non-zero number, or a
// non-empty text or list; null is false.
bool truthy(const Value& v) {
  if (v.is_bool()) return v.as_bool();
  if (v.is_number()) return v.as_number() != 0;
  return v.present();
}

class Node {
 public:
  virtual ~Node() = default;
  virtual Value eval(const GuardScope& scope) const = 0;
};
using NodePtr = std::unique_ptr<const Node>;

struct Literal final : Node {
  explicit Literal(Value v) : value(std::move(v)) {}
  Value eval(const GuardScope&) const override { return value; }
  const Value value;
};

struct NameRef final : Node {
  explicit NameRef(std::string n) : name(std::move(n)) {}
  Value eval(const GuardScope& scope) const override { return scope.lookup(name); }
  const std::string name;
};

class ListLiteral final : public Node {
 public:
  explicit ListLiteral(std::vector<NodePtr> items) : items_(std::move(items)) {}
  // As a Value a literal list is a list of texts (its items' display forms);
  // `in` uses contains() instead, which keeps numbers numbers.
  Value eval(const GuardScope& scope) const override {
    Value::List out;
    for (const auto& item : items_) out.push_back(item->eval(scope).to_display());
    return out;
  }
  bool contains(const Value& x, const GuardScope& scope) const {
    return std::any_of(items_.begin(), items_.end(),
                       [&](const NodePtr& item) { return item->eval(scope) == x; });
  }

 private:
  std::vector<NodePtr> items_;
};

struct NotNode final : Node {
  explicit NotNode(NodePtr op) : operand(std::move(op)) {}
  Value eval(const GuardScope& scope) const override { return !truthy(operand->eval(scope)); }
  const NodePtr operand;
};

class Logical final : public Node {
 public:
  Logical(bool is_and, NodePtr lhs, NodePtr rhs)
      : is_and_(is_and), lhs_(std::move(lhs)), rhs_(std::move(rhs)) {}
  Value eval(const GuardScope& scope) const override {
    bool left = truthy(lhs_->eval(scope));
    if (left != is_and_) return left;  // short-circuit: false and ..., true or ...
    return truthy(rhs_->eval(scope));
  }

 private:
  bool is_and_;
  NodePtr lhs_, rhs_;
};

class Compare final : public Node {
 public:
  Compare(Tok op, bool negate_in, NodePtr lhs, NodePtr rhs)
      : op_(op),
        negate_in_(negate_in),
        lhs_(std::move(lhs)),
        rhs_(std::move(rhs)),
        rhs_list_(dynamic_cast<const ListLiteral*>(rhs_.get())) {}

  Value eval(const GuardScope& scope) const override {
    Value a = lhs_->eval(scope);
    if (op_ == Tok::kIn) {
      bool found = rhs_list_ ? rhs_list_->contains(a, scope) : contains(rhs_->eval(scope), a);
      return found != negate_in_;
    }
    Value b = rhs_->eval(scope);
    if (op_ == Tok::kEq) return a == b;
    if (op_ == Tok::kNe) return !(a == b);
    int order = 0;  // <0, 0, >0; only numbers with numbers and texts with texts are ordered
    if (a.is_number() && b.is_number()) {
      double x = a.as_number(), y = b.as_number();
      if (std::isnan(x) || std::isnan(y)) return false;
      order = x < y ? -1 : (x > y ? 1 : 0);
    } else if (a.is_text() && b.is_text()) {
      order = a.as_text().compare(b.as_text());
    } else {
      return false;
    }
    if (op_ == Tok::kLt) return order < 0;
    if (op_ == Tok::kLe) return order <= 0;
    if (op_ == Tok::kGt) return order > 0;
    return order >= 0;  // kGe
  }

 private:
  static bool contains(const Value& container, const Value& x) {
    if (!x.is_text()) return false;
    if (container.is_list()) {
      const auto& l = container.as_list();
      return std::find(l.begin(), l.end(), x.as_text()) != l.end();
    }
    if (container.is_text()) return container.as_text().find(x.as_text()) != std::string::npos;
    return false;
  }

  Tok op_;
  bool negate_in_;
  NodePtr lhs_, rhs_;
  const ListLiteral* rhs_list_;  // rhs_ when it is a literal list, else null
};

// kEq .. kGe are the last enumerators.
bool is_comparison(Tok t) { return t >= Tok::kEq || t == Tok::kIn; }

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::set<std::string>* names)
      : tokens_(std::move(tokens)), names_(names) {}

  // The whole expression; null with error() set on failure.
  NodePtr parse() {
    if (peek().kind == Tok::kEnd) return fail("empty expression", Token{Tok::kEnd, "", 1, 0});
    // A chain of `and`s is a tree as deep as it is long (evaluated and
    // destroyed recursively): a guard is a condition, not a program.
    if (tokens_.size() > kMaxTokens + 1) {
      return fail("the expression is longer than " + std::to_string(kMaxTokens) + " tokens",
                  tokens_[kMaxTokens]);
    }
    NodePtr root = parse_or();
    if (!root) return nullptr;
    const Token& t = peek();
    if (t.kind == Tok::kEnd) return root;
    if (is_comparison(t.kind) || (t.kind == Tok::kNot && peek(1).kind == Tok::kIn)) {
      return fail("comparisons cannot be chained; combine them with 'and'", t);
    }
    if (t.kind == Tok::kRParen) return fail("unmatched ')'", t);
    return fail("unexpected '" + t.text + "', expected 'and', 'or' or the end of the expression",
                t);
  }
  const ParseError& error() const { return error_; }

 private:
  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& take() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }

  NodePtr fail(std::string message, const Token& at) {
    error_ = ParseError{std::move(message), at.column};
    return nullptr;
  }

  // Parentheses and `not`s nest at most this deep: the parser, the tree's
  // evaluation and its destruction all recurse once per level, and a guard
  // of 20,000 '(' ran out of stack.
  static constexpr int kMaxNesting = 64;
  static constexpr std::size_t kMaxTokens = 1000;
  class Nesting {
   public:
    explicit Nesting(int& depth) : depth_(depth) { ++depth_; }
    ~Nesting() { --depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;
    bool too_deep() const { return depth_ > kMaxNesting; }

   private:
    int& depth_;
  };
  static std::string too_deep() {
    return "the expression nests parentheses and 'not' more than " + std::to_string(kMaxNesting) +
           " levels deep";
  }

  NodePtr parse_or() { return parse_logical(false); }
  NodePtr parse_and() { return parse_logical(true); }

  // and/or chains, left-associative; `and` operands are `not` expressions.
  NodePtr parse_logical(bool is_and) {
    NodePtr lhs = is_and ? parse_not() : parse_and();
    while (lhs && peek().kind == (is_and ? Tok::kAnd : Tok::kOr)) {
      take();
      NodePtr rhs = is_and ? parse_not() : parse_and();
      if (!rhs) return nullptr;
      lhs = std::make_unique<Logical>(is_and, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }

  NodePtr parse_not() {
    if (peek().kind != Tok::kNot) return parse_cmp();
    const Token& t = take();
    Nesting nesting(depth_);
    if (nesting.too_deep()) return fail(too_deep(), t);
    NodePtr operand = parse_not();
    if (!operand) return nullptr;
    return std::make_unique<NotNode>(std::move(operand));
  }

  NodePtr parse_cmp() {
    NodePtr lhs = parse_operand();
    if (!lhs) return nullptr;
    bool negate = peek().kind == Tok::kNot && peek(1).kind == Tok::kIn;
    if (negate) take();
    if (!is_comparison(peek().kind)) return lhs;
    Tok op = take().kind;
    NodePtr rhs = parse_operand();
    if (!rhs) return nullptr;
    return std::make_unique<Compare>(op, negate, std::move(lhs), std::move(rhs));
  }

  NodePtr parse_operand() {
    const Token& t = take();
    if (t.kind == Tok::kNumber) return std::make_unique<Literal>(Value(t.number));
    if (t.kind == Tok::kString) return std::make_unique<Literal>(Value(t.text));
    if (t.kind == Tok::kTrue) return std::make_unique<Literal>(Value(true));
    if (t.kind == Tok::kFalse) return std::make_unique<Literal>(Value(false));
    if (t.kind == Tok::kNull) return std::make_unique<Literal>(Value());
    if (t.kind == Tok::kLParen) return parse_group(t);
    if (t.kind == Tok::kLBracket) return parse_list();
    if (t.kind == Tok::kName) {
      names_->insert(t.text);
      return std::make_unique<NameRef>(t.text);
    }
    if (t.kind == Tok::kEnd) return fail("unexpected end of expression, expected an operand", t);
    return fail("expected an operand, found '" + t.text + "'", t);
  }

  NodePtr parse_group(const Token& open) {
    Nesting nesting(depth_);
    if (nesting.too_deep()) return fail(too_deep(), open);
    NodePtr inner = parse_or();
    if (!inner) return nullptr;
    const Token& t = peek();
    if (t.kind == Tok::kRParen) {
      take();
      return inner;
    }
    std::string where = "'(' at column " + std::to_string(open.column);
    if (t.kind == Tok::kEnd)
      return fail("unexpected end of expression, expected ')' to close " + where, t);
    return fail("expected ')' to close " + where + ", found '" + t.text + "'", t);
  }

  NodePtr parse_list() {
    std::vector<NodePtr> items;
    if (peek().kind == Tok::kRBracket) {
      take();
      return std::make_unique<ListLiteral>(std::move(items));
    }
    while (true) {
      NodePtr item = parse_operand();
      if (!item) return nullptr;
      items.push_back(std::move(item));
      const Token& t = take();
      if (t.kind == Tok::kRBracket) return std::make_unique<ListLiteral>(std::move(items));
      if (t.kind == Tok::kEnd)
        return fail("unexpected end of expression, expected ',' or ']' in list", t);
      if (t.kind != Tok::kComma)
        return fail("expected ',' or ']' in list, found '" + t.text + "'", t);
    }
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;  // parse_group / parse_not levels open (Nesting)
  std::set<std::string>* names_;
  ParseError error_;
};

}  // namespace

struct GuardNode {
  NodePtr root;
};

Value MapScope::lookup(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? Value() : it->second;
}

Guard::Guard()
    : root_(std::make_shared<const GuardNode>(GuardNode{std::make_unique<Literal>(Value(true))})),
      text_("true") {}

Result<Guard> Guard::parse(std::string_view text, int* error_column) {
  auto report = [&](const ParseError& e) -> Result<Guard> {
    if (error_column != nullptr) *error_column = e.column;
    return invalid_argument(e.message);
  };
  Lexer lexer(text);
  std::optional<std::vector<Token>> tokens = lexer.run();
  if (!tokens) return report(lexer.error());
  Guard guard;
  guard.names_.clear();
  Parser parser(std::move(*tokens), &guard.names_);
  NodePtr root = parser.parse();
  if (!root) return report(parser.error());
  guard.root_ = std::make_shared<const GuardNode>(GuardNode{std::move(root)});
  guard.text_ = std::string(text);
  return guard;
}

bool Guard::evaluate(const GuardScope& scope) const { return truthy(root_->root->eval(scope)); }

}  // namespace turnaround
