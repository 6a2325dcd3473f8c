// mtr --csv text as mtr 0.95 prints it:
//   Mtr_Version,Start_Time,Status,Host,Hop,Ip,Loss%,Snt,
//   ,Last,Avg,Best,Wrst,StDev,
//   MTR.0.95,1795796776,OK,198.18.10.2,1,198.18.1.1,0.00,40,0,0.08,...
// Loss% and times with two decimals, counts as integers, the blank " "
// column holds the drop count; the header ends with a comma, rows do not.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "diagnosis/reports/reports.h"
#include "diagnosis/reports/writer_fields.h"

namespace grid::diagnosis {

std::string WriteMtrCsv(const Trace& trace, const MtrWriteOptions& options) {
  std::vector<const reports_internal::MtrField*> fields =
      reports_internal::WritableFields(options.fields);
  std::string out = "Mtr_Version,Start_Time,Status,Host,Hop,Ip,";
  for (const auto* f : fields) absl::StrAppend(&out, f->title, ",");
  out += "\n";
  std::string prefix = absl::StrCat(
      "MTR.", options.mtr_version, ",", absl::ToUnixSeconds(options.start_time),
      ",OK,", reports_internal::Destination(trace, options.destination), ",");
  for (const Hop& hop : trace.hops) {
    absl::StrAppend(&out, prefix, hop.ttl, ",", hop.host);
    for (const auto* f : fields) {
      double v = reports_internal::HopValue(hop, f->column);
      if (f->integral) {
        absl::StrAppend(&out, ",", static_cast<int>(v));
      } else {
        absl::StrAppendFormat(&out, ",%.2f", v);
      }
    }
    out += "\n";
  }
  return out;
}

}  // namespace grid::diagnosis
