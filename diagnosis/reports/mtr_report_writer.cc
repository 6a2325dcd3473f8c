// mtr --report / --report-wide text, laid out as mtr 0.95 prints it:
//
//   Start: 2026-11-27T16:25:40+0000
//   HOST: vm                          Loss%   Snt   Last   Avg  Best  Wrst
//   StDev
//     1.|-- 198.18.1.1                 0.0%    40    0.1   0.1   0.1   0.6 0.1
//           198.18.3.2                        (further responder of hop 1)
//
// mtr writes each field (" %4.1f%%" for Loss%, " %5d" for counts,
// " %5.1f" for times, " %4.1f" for jitter) at a fixed step of the field's
// width, so a longer text is cut by the next field: 100% loss shows as
// "100.0". In -r the "HOST: name" and "%3d.|-- host" prefixes are cut or
// padded to 33 characters; --report-wide pads hosts to the longest.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "diagnosis/reports/reports.h"
#include "diagnosis/reports/writer_fields.h"

namespace grid::diagnosis {
namespace {

using reports_internal::Column;
using reports_internal::MtrField;

constexpr size_t kNarrowPrefix = 33;  // "HOST: name" and "%2d.|-- host".

std::string Pad(absl::string_view text, size_t width) {
  std::string out(text);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

// mtr's printf text for one field value (before cutting to the width).
std::string FieldText(const MtrField& field, double value) {
  switch (field.letter) {
    case ' ':
      return " ";
    case 'L':
      return absl::StrFormat(" %4.1f%%", value);
    case 'D':
      return absl::StrFormat(" %4d", static_cast<int>(value));
    case 'R':
    case 'S':
      return absl::StrFormat(" %5d", static_cast<int>(value));
    case 'M':
    case 'X':
      return absl::StrFormat(" %4.1f", value);
    default:
      return absl::StrFormat(" %5.1f", value);
  }
}

// Appends `text` at column `at` of `line`, replacing whatever was there.
void PutAt(std::string& line, size_t at, absl::string_view text) {
  if (line.size() < at) line.append(at - line.size(), ' ');
  line.resize(at);
  line.append(text.data(), text.size());
}

}  // namespace

std::string WriteMtrReport(const Trace& trace, const MtrWriteOptions& options) {
  std::vector<const MtrField*> fields =
      reports_internal::WritableFields(options.fields);
  absl::string_view local =
      reports_internal::LocalHostName(trace, options.local_host_name);
  size_t host_width = local.size();
  for (const Hop& hop : trace.hops)
    host_width = std::max(host_width, hop.host.size());

  std::string out =
      absl::StrCat("Start: ",
                   absl::FormatTime("%Y-%m-%dT%H:%M:%S%z", options.start_time,
                                    options.time_zone),
                   "\n");
  std::string line = absl::StrCat("HOST: ", local);
  size_t at = options.wide ? 6 + host_width : kNarrowPrefix;
  line = Pad(line, at);
  for (const MtrField* f : fields) {
    PutAt(line, at, absl::StrFormat("%*s", f->width, f->title));
    at += f->width;
  }
  absl::StrAppend(&out, line, "\n");

  for (const Hop& hop : trace.hops) {
    line = absl::StrFormat("%3d.|-- %s", hop.ttl, hop.host);
    at = options.wide ? absl::StrFormat("%3d.|-- ", hop.ttl).size() + host_width
                      : kNarrowPrefix;
    line = Pad(line, at);
    for (const MtrField* f : fields) {
      PutAt(line, at,
            FieldText(*f, reports_internal::HopValue(hop, f->column)));
      at += f->width;
    }
    absl::StrAppend(&out, line, "\n");
    for (const std::string& other : hop.other_hosts) {
      absl::StrAppend(&out, "        ",
                      Pad(other, options.wide ? host_width : kNarrowPrefix),
                      "\n");
    }
  }
  return out;
}

}  // namespace grid::diagnosis
