// turnaround_gen: a reproducible generator of NPS survey responses and churn
// events, in the import formats of SPEC.md section 10.
//
//   turnaround_gen --seed N --responses N --customers N --start ISO --days N
//                  --out-responses FILE [--out-churn FILE] [--churn-rate 0.03]
//                  [--detractor-share X] [--format csv|jsonl] [--crlf]
//
// Deterministic for a seed on every platform: the only library randomness is
// std::mt19937_64, whose sequence the standard fixes; every distribution on
// top of it is written here with + and * only (no std::*_distribution, no
// log/exp, whose results differ between libraries). Customers, responses and
// churn draw from separate streams, so the customer list for a seed does not
// depend on --responses. Summary line on stderr; exit 2 on bad usage, 1 on I/O.
//
// Model: segments enterprise / mid-market / smb (10/30/60 % of customers, ARR
// in company.yaml's ranges) with NPS near +30 / +10 / -5 (about a third of the
// answers are detractors); bigger accounts answer more often and a customer's
// answers are correlated. Churn favours the danger zone; a lost customer
// answers no more. Output is in time order; text comes from corpus.h.
#include <algorithm>
#include <charconv>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <date/date.h>

#include "engine/time.h"
#include "examples/generator/corpus.h"

namespace {

using std::int64_t, std::uint64_t;

class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream) : g_(splitmix(seed * 0x9E3779B97F4A7C15ULL + stream)) {}
  double uniform() { return static_cast<double>(g_() >> 11) * 0x1.0p-53; }  // [0, 1)
  uint64_t below(uint64_t n) { return std::min<uint64_t>(n - 1, static_cast<uint64_t>(uniform() * n)); }
  bool chance(double p) { return uniform() < p; }
  int weighted(const double* w, int n) {  // inverse CDF over unnormalized weights
    double total = 0;
    for (int i = 0; i < n; ++i) total += w[i];
    double x = uniform() * total;
    for (int i = 0; i < n; ++i, x -= w[i - 1]) if (x < w[i]) return i;
    return n - 1;
  }

 private:
  static uint64_t splitmix(uint64_t z) {  // spreads nearby seeds and stream numbers apart
    z = ((z + 0x9E3779B97F4A7C15ULL) ^ ((z + 0x9E3779B97F4A7C15ULL) >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::mt19937_64 g_;
};

// ---- The model -------------------------------------------------------------
enum Category { kPromoter, kPassive, kDetractor };
struct Segment {
  const char* name;
  double customer_share, respond_weight;  // respond weight: bigger accounts have more contacts who answer
  double p[3];                            // promoter, passive, detractor: NPS = 100 * (p0 - p2)
  double theme_weight[gen::kThemes];
};
Segment kSegments[3] = {
    {"enterprise", 0.10, 3.0, {0.50, 0.30, 0.20}, {22, 24, 10, 8, 16, 8, 12}},  // NPS +30
    {"mid-market", 0.30, 1.5, {0.42, 0.26, 0.32}, {22, 18, 18, 14, 10, 10, 8}},  // NPS +10
    {"smb", 0.60, 1.0, {0.35, 0.25, 0.40}, {18, 14, 26, 18, 8, 12, 4}},        // NPS -5
};
constexpr double kScoreWeights[11] = {4, 3, 5, 8, 10, 14, 16, 45, 55, 55, 45};  // within a category
constexpr int kCategoryFirst[3] = {9, 7, 0}, kCategoryLast[3] = {10, 8, 6};
constexpr int kDangerZoneMax = 3;
constexpr int64_t kDay = 86400;

struct Customer {
  std::string id, name;
  int segment, home_category, main_theme;  // answers lean to the home category; main theme: the usual topic
  int64_t arr;
  double weight;  // chance of answering, relative
};
struct Response {  // 24 bytes: a million fit easily; the comment is assembled when written
  int64_t at;
  std::uint32_t customer;
  std::uint8_t score, theme, sentence, opener, closer, sep;  // sentence 255 = blank; opener/closer 3 = none
};
struct Churn { int64_t at; std::uint32_t customer; const char* reason; };

int band(int score) { return score <= 3 ? 0 : score <= 6 ? 1 : score <= 8 ? 2 : 3; }
int category(int score) { return score >= 9 ? kPromoter : score >= 7 ? kPassive : kDetractor; }

std::string company_name(Rng& r, int segment) {
  const auto& st = gen::kStyles[r.weighted(gen::kStyleWeights[segment], 6)];
  std::string a = st.first[r.below(st.n_first)], b = st.second[r.below(st.n_second)];
  std::string form = st.form[r.below(st.n_form)];
  if (&st == &gen::kStyles[4]) return a + " " + form;                   // Köhler & Söhne AG
  if (&st == &gen::kStyles[5]) return a == b ? a + " " + form : a + ", " + b + " " + form;
  return form.empty() ? a + " " + b : a + " " + b + " " + form;
}

int64_t arr_for(Rng& r, int segment) {  // rounded to 100; u^2 skews toward the low end
  double u = r.uniform(), lo, hi;
  const bool heavy = segment == 0 && r.chance(0.25);  // heavy hitters: >= 150k (company.yaml)
  if (segment == 0) lo = heavy ? 150000 : 100000, hi = heavy ? 600000 : 149900;
  else lo = segment == 1 ? 20000 : 1000, hi = segment == 1 ? 99900 : 19900;
  return static_cast<int64_t>((lo + (hi - lo) * u * u) / 100.0) * 100;
}

std::vector<Customer> make_customers(uint64_t seed, int n) {
  Rng r(seed, 1);
  std::vector<Customer> cs(n);
  std::unordered_set<std::string> used(gen::kSignatureNames, gen::kSignatureNames + 6);
  const double shares[3] = {kSegments[0].customer_share, kSegments[1].customer_share, kSegments[2].customer_share};
  for (int i = 0; i < n; ++i) {
    Customer& c = cs[i];
    char id[32];
    c.id.assign(id, static_cast<std::size_t>(std::snprintf(id, sizeof id, "CUST-%06d", i + 1)));
    c.segment = r.weighted(shares, 3);
    if (i < 6) {  // a few fixed, recognizable accounts (non-ASCII on purpose)
      c.segment = gen::kSignatureSegments[i];
      c.name = gen::kSignatureNames[i];
    } else {
      for (int t = 0; t < 16 && (c.name.empty() || used.count(c.name)); ++t)  // then a branch, then a number
        c.name = company_name(r, c.segment) + (t < 8 ? "" : std::string(" (") + gen::kBranches[r.below(std::size(gen::kBranches))] + ")");
      for (int k = i + 1; used.count(c.name); k += n) c.name = company_name(r, c.segment) + " " + std::to_string(k);
      used.insert(c.name);
    }
    c.arr = arr_for(r, c.segment);
    c.main_theme = r.weighted(kSegments[c.segment].theme_weight, gen::kThemes);
    c.weight = kSegments[c.segment].respond_weight * (0.5 + r.uniform());
  }
  return cs;
}

// --detractor-share X: shift every segment's detractor share by the same amount
// so that the expected overall share is X (segments keep their differences).
void override_detractor_share(const std::vector<Customer>& cs, double target) {
  double w[3] = {0, 0, 0}, total = 0, mix = 0;
  for (const Customer& c : cs) w[c.segment] += c.weight, total += c.weight;
  for (int s = 0; s < 3; ++s) mix += w[s] / total * kSegments[s].p[kDetractor];
  for (Segment& s : kSegments) {
    double d = std::clamp(s.p[kDetractor] + target - mix, 0.0, 1.0);
    double promoters = s.p[kPromoter] / (s.p[kPromoter] + s.p[kPassive]);
    s.p[kPromoter] = (1 - d) * promoters, s.p[kPassive] = (1 - d) * (1 - promoters), s.p[kDetractor] = d;
  }
}

// Spread over [start, end) with ~80 % in business hours (08:30-18:30 Berlin
// summer time) and fewer answers at weekends.
int64_t sample_time(Rng& r, int64_t start, int64_t end) {
  int64_t day0 = (start >= 0 ? start : start - kDay + 1) / kDay * kDay;
  uint64_t ndays = static_cast<uint64_t>((end - day0 + kDay - 1) / kDay);
  for (int tries = 0; tries < 64; ++tries) {
    int64_t day = day0 + static_cast<int64_t>(r.below(ndays)) * kDay;
    date::weekday wd{date::sys_days{date::days{day / kDay}}};
    if ((wd == date::Saturday || wd == date::Sunday) && !r.chance(0.25)) continue;
    int64_t sod = r.chance(0.8) ? 6 * 3600 + 1800 + static_cast<int64_t>(r.below(10 * 3600)) : static_cast<int64_t>(r.below(kDay));
    if (day + sod >= start && day + sod < end) return day + sod;
  }
  return start + static_cast<int64_t>(r.below(static_cast<uint64_t>(end - start)));
}

// ---- Output: CSV (RFC 4180) or JSON Lines, buffered -----------------------------
class Writer {
 public:
  bool open(const std::string& path, bool jsonl, bool crlf) {
    f_ = path == "-" ? stdout : std::fopen(path.c_str(), "wb");
    jsonl_ = jsonl, eol_ = crlf ? "\r\n" : "\n";
    buf_.reserve(kChunk + 4096);
    return f_ != nullptr;
  }
  void header(std::string_view csv_header) { if (!jsonl_) buf_.append(csv_header).append(eol_); }
  Writer& str(const char* key, std::string_view s) {
    if (!key_(key)) return quoted_csv(s);
    buf_.push_back('"');
    for (char c : s) {  // UTF-8 passes through unchanged
      if (c == '"' || c == '\\') buf_.push_back('\\'), buf_.push_back(c);
      else if (c == '\n') buf_.append("\\n");
      else if (c == '\r') buf_.append("\\r");
      else if (static_cast<unsigned char>(c) < 0x20) { char u[8]; std::snprintf(u, sizeof u, "\\u%04x", c); buf_.append(u); }
      else buf_.push_back(c);
    }
    buf_.push_back('"');
    return *this;
  }
  Writer& num(const char* key, int64_t v) {
    char tmp[24];
    key_(key), buf_.append(tmp, std::to_chars(tmp, tmp + sizeof tmp, v).ptr);
    return *this;
  }
  Writer& time(const char* key, int64_t t) {  // "2026-08-03T09:41:07Z", as turnaround::format_instant
    const int64_t d = (t >= 0 ? t : t - kDay + 1) / kDay, sod = t - d * kDay;
    const date::year_month_day ymd{date::sys_days{date::days{d}}};
    const int y = int(ymd.year()), v[5] = {int(unsigned(ymd.month())), int(unsigned(ymd.day())),
                                           int(sod / 3600), int(sod / 60 % 60), int(sod % 60)};
    char s[21] = "0000-00-00T00:00:00Z";
    s[0] = char('0' + y / 1000 % 10), s[1] = char('0' + y / 100 % 10), s[2] = char('0' + y / 10 % 10), s[3] = char('0' + y % 10);
    for (int i = 0; i < 5; ++i) s[5 + 3 * i] = char('0' + v[i] / 10), s[6 + 3 * i] = char('0' + v[i] % 10);
    return str(key, std::string_view(s, 20));
  }
  void end_row() {
    if (jsonl_) buf_.push_back('}');
    buf_.append(eol_);
    first_ = true;
    if (buf_.size() >= kChunk) flush();
  }
  bool close() {
    flush();
    bool ok = !std::ferror(f_);
    return (f_ == stdout ? std::fflush(f_) == 0 : std::fclose(f_) == 0) && ok;
  }

 private:
  bool key_(const char* key) {  // separator (and key); true when JSON
    if (jsonl_) buf_.append(first_ ? "{\"" : ",\"").append(key).append("\":");
    else if (!first_) buf_.push_back(',');
    first_ = false;
    return jsonl_;
  }
  Writer& quoted_csv(std::string_view s) {  // quoted when needed, "" for "
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) { buf_.append(s); return *this; }
    buf_.push_back('"');
    for (char c : s) { if (c == '"') buf_.push_back('"'); buf_.push_back(c); }
    buf_.push_back('"');
    return *this;
  }
  void flush() { std::fwrite(buf_.data(), 1, buf_.size(), f_); buf_.clear(); }
  static constexpr std::size_t kChunk = 1 << 20;
  std::FILE* f_ = nullptr;
  std::string buf_;
  const char* eol_ = "\n";
  bool jsonl_ = false, first_ = true;
};

struct Options {
  uint64_t seed = 42;
  int64_t responses = 3000, customers = 900, days = 92;
  std::string start = "2026-08-01T00:00:00Z", out_responses, out_churn, format = "csv";
  double churn_rate = 0.03, detractor_share = -1;
  bool crlf = false;
};

[[noreturn]] void usage(const std::string& problem) {
  std::fprintf(stderr, "turnaround_gen: %s\nusage: turnaround_gen --seed N --responses N --customers N --start ISO-8601 "
               "--days N --out-responses FILE [--out-churn FILE] [--churn-rate 0.03] [--detractor-share X] "
               "[--format csv|jsonl] [--crlf]\n", problem.c_str());
  std::exit(2);
}

std::string shortest(double v) {
  char s[32];
  return std::string(s, std::to_chars(s, s + sizeof s, v).ptr);
}

Options parse_args(int argc, char** argv) {
  Options o;
  auto number = [](const std::string& flag, const char* text, double lo, double hi, bool integral = true) {
    char* end = nullptr;
    double v = std::strtod(text, &end);
    if (end == text || *end != '\0' || !(v >= lo && v <= hi) || (integral && v != static_cast<double>(static_cast<int64_t>(v))))
      usage(flag + ": expected " + (integral ? "a whole number" : "a number") + " in [" + shortest(lo) + ", " + shortest(hi) + "], got '" + text + "'");
    return v;
  };
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--crlf") { o.crlf = true; continue; }
    if (flag == "--help" || flag == "-h") usage("help");
    if (i + 1 >= argc) usage(flag + ": missing value (or unknown flag)");
    const char* v = argv[++i];
    if (flag == "--seed") o.seed = static_cast<uint64_t>(number(flag, v, 0, 9e15));
    else if (flag == "--responses") o.responses = static_cast<int64_t>(number(flag, v, 0, 1e9));
    else if (flag == "--customers") o.customers = static_cast<int64_t>(number(flag, v, 1, 5e7));
    else if (flag == "--days") o.days = static_cast<int64_t>(number(flag, v, 1, 36600));
    else if (flag == "--churn-rate") o.churn_rate = number(flag, v, 0, 1, false);
    else if (flag == "--detractor-share") o.detractor_share = number(flag, v, 0, 1, false);
    else if (flag == "--start") o.start = v;
    else if (flag == "--out-responses") o.out_responses = v;
    else if (flag == "--out-churn") o.out_churn = v;
    else if (flag == "--format") o.format = v;
    else usage("unknown flag " + flag);
  }
  if (o.out_responses.empty()) usage("--out-responses FILE is required ('-' for stdout)");
  if (o.format != "csv" && o.format != "jsonl") usage("--format: expected csv or jsonl");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_args(argc, argv);
  auto start_or = turnaround::parse_instant(o.start);
  if (!start_or.ok()) usage("--start: " + start_or.status().message());
  const int64_t start = start_or->time_since_epoch().count(), end = start + o.days * kDay;
  const bool csv = o.format == "csv";

  std::vector<Customer> cs = make_customers(o.seed, static_cast<int>(o.customers));
  if (o.detractor_share >= 0) override_detractor_share(cs, o.detractor_share);
  Rng rc(o.seed, 4);  // home categories after the override, so it is honoured
  for (Customer& c : cs) c.home_category = rc.weighted(kSegments[c.segment].p, 3);
  std::vector<double> cumulative(cs.size());
  double total_weight = 0;
  for (std::size_t i = 0; i < cs.size(); ++i) cumulative[i] = total_weight += cs[i].weight;
  auto draw = [&](Rng& r, Response& x) {  // who answers, and what (not when)
    x.customer = static_cast<std::uint32_t>(std::min<std::size_t>(
        cs.size() - 1, std::upper_bound(cumulative.begin(), cumulative.end(), r.uniform() * total_weight) - cumulative.begin()));
    const Customer& c = cs[x.customer];
    int cat = r.chance(0.35) ? c.home_category : r.weighted(kSegments[c.segment].p, 3);
    x.score = static_cast<std::uint8_t>(kCategoryFirst[cat] + r.weighted(kScoreWeights + kCategoryFirst[cat], kCategoryLast[cat] - kCategoryFirst[cat] + 1));
    x.theme = static_cast<std::uint8_t>(r.chance(0.55) ? c.main_theme : r.weighted(kSegments[c.segment].theme_weight, gen::kThemes));
    const double blank[4] = {0.04, 0.08, 0.2, 0.25};
    x.sentence = r.chance(blank[band(x.score)]) ? 255 : static_cast<std::uint8_t>(r.below(3));
    x.opener = static_cast<std::uint8_t>(r.chance(0.3) ? r.below(3) : 3);
    x.closer = static_cast<std::uint8_t>(r.chance(0.35) ? r.below(3) : 3);
    x.sep = r.chance(0.03) ? '\n' : ' ';
  };

  // Responses, in time order.
  Rng r(o.seed, 2);
  std::vector<Response> rs(static_cast<std::size_t>(o.responses));
  for (Response& x : rs) x.at = sample_time(r, start, end), draw(r, x);
  std::stable_sort(rs.begin(), rs.end(), [](const Response& a, const Response& b) { return a.at < b.at; });

  // Churn. --churn-rate is the expected share of customers lost in the period;
  // the danger zone (0-3) is six times as likely to leave as a silent account.
  // A customer leaves 1-31 days after its worst answer (the first, if tied).
  std::vector<int> worst(cs.size(), 11), worst_theme(cs.size(), 0);
  std::vector<int64_t> worst_at(cs.size(), 0), lost_at(cs.size(), INT64_MAX);
  for (const Response& x : rs)
    if (x.score < worst[x.customer]) worst[x.customer] = x.score, worst_theme[x.customer] = x.theme, worst_at[x.customer] = x.at;
  std::vector<double> hazard(cs.size());
  double hazard_sum = 0;
  for (std::size_t i = 0; i < cs.size(); ++i)  // worst 11: never answered
    hazard_sum += hazard[i] = worst[i] > 10 ? 1.0 : worst[i] >= 9 ? 0.25 : worst[i] >= 7 ? 0.7 : worst[i] > kDangerZoneMax ? 2.5 : 6.0;
  Rng rch(o.seed, 3);
  std::vector<Churn> churn;
  int64_t churn_arr = 0, churn_detractors = 0;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    if (!rch.chance(std::min(0.95, o.churn_rate * static_cast<double>(cs.size()) * hazard[i] / hazard_sum))) continue;
    Churn ch{0, static_cast<std::uint32_t>(i), ""};
    if (worst[i] > 10) {
      ch.at = sample_time(rch, start, end);
    } else {  // at a business hour, within the period
      double u = rch.uniform();
      ch.at = (worst_at[i] / kDay + 1 + static_cast<int64_t>(30 * u * u)) * kDay + 7 * 3600 + static_cast<int64_t>(rch.below(9 * 3600));
      if (ch.at >= end) ch.at = worst_at[i] + (end - worst_at[i]) / 2;
    }
    const bool detractor = worst[i] <= 6;
    const double pick = rch.uniform();
    if (pick < 0.06) ch.reason = "";
    else if (detractor ? pick < 0.88 : pick < 0.5) ch.reason = gen::kReasons[detractor ? worst_theme[i] : cs[i].main_theme][rch.below(3)];
    else ch.reason = gen::kGenericReasons[rch.below(std::size(gen::kGenericReasons))];
    churn.push_back(ch);
    lost_at[i] = ch.at;
    churn_arr += cs[i].arr;
    churn_detractors += detractor;
  }
  std::stable_sort(churn.begin(), churn.end(), [](const Churn& a, const Churn& b) { return a.at < b.at; });
  // Lost customers stop answering: a later answer goes to someone else.
  Rng rfix(o.seed, 5);
  for (Response& x : rs)
    for (int tries = 0; tries < 100 && lost_at[x.customer] < x.at; ++tries) draw(rfix, x);

  Writer w;
  if (!w.open(o.out_responses, !csv, o.crlf)) { std::perror(o.out_responses.c_str()); return 1; }
  w.header("response_id,customer_id,customer_name,segment,arr,score,comment,responded_at");
  const std::string id_prefix = "R-" + std::to_string(o.seed) + "-";
  std::string id, comment;
  std::vector<int> answers(cs.size(), 0);
  int64_t count[3][3] = {}, danger = 0;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    const Response& x = rs[i];
    const Customer& c = cs[x.customer];
    const int b = band(x.score);
    comment.clear();
    if (x.sentence != 255) {
      if (x.opener < 3) comment.append(gen::kOpeners[b][x.opener]).push_back(static_cast<char>(x.sep));
      comment.append(gen::kComments[b][x.theme][x.sentence]);
      if (x.closer < 3) comment.append(1, static_cast<char>(x.sep)).append(gen::kClosers[b][x.closer]);
    }
    id.assign(id_prefix).append(std::to_string(i + 1));
    w.str("response_id", id).str("customer_id", c.id).str("customer_name", c.name).str("segment", kSegments[c.segment].name);
    w.num("arr", c.arr).num("score", x.score).str("comment", comment).time("responded_at", x.at).end_row();
    ++count[c.segment][category(x.score)];
    danger += x.score <= kDangerZoneMax;
    ++answers[x.customer];
  }
  if (!w.close()) { std::perror(o.out_responses.c_str()); return 1; }
  if (!o.out_churn.empty()) {
    Writer wc;
    if (!wc.open(o.out_churn, !csv, o.crlf)) { std::perror(o.out_churn.c_str()); return 1; }
    wc.header("customer_id,lost_at,reason,arr");
    for (const Churn& ch : churn)
      wc.str("customer_id", cs[ch.customer].id).time("lost_at", ch.at).str("reason", ch.reason).num("arr", cs[ch.customer].arr).end_row();
    if (!wc.close()) { std::perror(o.out_churn.c_str()); return 1; }
  }

  // Summary.
  auto nps = [](const int64_t* c) {
    int64_t n = c[0] + c[1] + c[2];
    return n ? 100.0 * static_cast<double>(c[kPromoter] - c[kDetractor]) / static_cast<double>(n) : 0.0;
  };
  int64_t all[3] = {}, respondents = 0, repeat = 0;
  for (auto& seg : count) for (int k = 0; k < 3; ++k) all[k] += seg[k];
  for (int a : answers) respondents += a > 0, repeat += a > 1;
  const double n = static_cast<double>(std::max<int64_t>(1, o.responses));
  std::fprintf(stderr, "turnaround_gen: seed %llu, %lld responses from %lld of %lld customers (%lld answered twice or more), "
               "%s..%s; detractors %.1f%% (danger zone %.1f%%); NPS %+.1f (enterprise %+.1f, mid-market %+.1f, "
               "smb %+.1f); churn %zu customers (%lld after a detractor answer), ARR lost %lld\n",
               static_cast<unsigned long long>(o.seed), static_cast<long long>(o.responses), static_cast<long long>(respondents),
               static_cast<long long>(o.customers), static_cast<long long>(repeat),
               turnaround::format_instant(*start_or).c_str(),
               turnaround::format_instant(turnaround::Instant{std::chrono::seconds{end}}).c_str(),
               100.0 * static_cast<double>(all[kDetractor]) / n, 100.0 * static_cast<double>(danger) / n, nps(all),
               nps(count[0]), nps(count[1]), nps(count[2]), churn.size(), static_cast<long long>(churn_detractors),
               static_cast<long long>(churn_arr));
  return 0;
}
