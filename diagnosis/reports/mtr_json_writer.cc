// mtr --json text as mtr 0.95 prints it through jansson: 4-space indent,
// "key": value, reals in "%.5g" with ".0" added to whole numbers and the
// exponent's '+' and leading zeros dropped, counts as integers, psize and
// bitpattern as strings.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "diagnosis/reports/reports.h"
#include "diagnosis/reports/writer_fields.h"

namespace grid::diagnosis {
namespace {

using reports_internal::MtrField;

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04X", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out += "\"";
  return out;
}

// jansson's real formatting with JSON_REAL_PRECISION(5).
std::string JsonReal(double v) {
  std::string s = absl::StrFormat("%.5g", v);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  size_t e = s.find('e');
  if (e != std::string::npos) {
    std::string mantissa = s.substr(0, e + 1);
    std::string exp = s.substr(e + 1);
    std::string sign;
    if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) {
      if (exp[0] == '-') sign = "-";
      exp.erase(0, 1);
    }
    size_t nz = exp.find_first_not_of('0');
    exp = nz == std::string::npos ? "0" : exp.substr(nz);
    s = mantissa + sign + exp;
  }
  return s;
}

// Writes "key": value members, one per line, at `indent` spaces.
class ObjectWriter {
 public:
  ObjectWriter(std::string& out, int indent) : out_(out), indent_(indent) {}
  void Member(absl::string_view key, absl::string_view raw_value) {
    absl::StrAppend(&out_, first_ ? "\n" : ",\n", std::string(indent_, ' '),
                    JsonString(key), ": ", raw_value);
    first_ = false;
  }

 private:
  std::string& out_;
  int indent_;
  bool first_ = true;
};

}  // namespace

std::string WriteMtrJson(const Trace& trace, const MtrWriteOptions& options) {
  std::vector<const MtrField*> fields =
      reports_internal::WritableFields(options.fields);
  int tests = options.tests;
  if (tests == 0) {
    for (const Hop& hop : trace.hops) tests = std::max(tests, hop.sent);
  }
  std::string out = "{\n    \"report\": {\n        \"mtr\": {";
  ObjectWriter mtr(out, 12);
  mtr.Member("src", JsonString(reports_internal::LocalHostName(
                        trace, options.local_host_name)));
  mtr.Member("dst", JsonString(reports_internal::Destination(
                        trace, options.destination)));
  mtr.Member("tos", absl::StrCat(options.tos));
  mtr.Member("tests", absl::StrCat(tests));
  mtr.Member("psize", JsonString(absl::StrCat(options.packet_size)));
  mtr.Member("bitpattern", JsonString(options.bit_pattern));
  out += "\n        },\n        \"hubs\": [";
  for (size_t i = 0; i < trace.hops.size(); ++i) {
    const Hop& hop = trace.hops[i];
    out += i == 0 ? "\n            {" : ",\n            {";
    ObjectWriter hub(out, 16);
    hub.Member("count", absl::StrCat(hop.ttl));
    hub.Member("host", JsonString(hop.host));
    for (const MtrField* f : fields) {
      if (f->letter == ' ') continue;
      double v = reports_internal::HopValue(hop, f->column);
      hub.Member(f->title,
                 f->integral ? absl::StrCat(static_cast<int>(v)) : JsonReal(v));
    }
    out += "\n            }";
  }
  out += trace.hops.empty() ? "]" : "\n        ]";
  out += "\n    }\n}\n";
  return out;
}

}  // namespace grid::diagnosis
