// Conversions between the engine's model (diagnosis/trace.h,
// diagnosis/diagnosis.h) and its wire/disk mirror (grid/v1/model.proto).
// Proto enums hold the engine value + 1; an unknown or UNSPECIFIED value
// read from the wire converts to a safe default (kInconclusive for a
// verdict) rather than crashing.
#ifndef GRID_COORDINATOR_MODEL_CONVERT_H_
#define GRID_COORDINATOR_MODEL_CONVERT_H_

#include <vector>

#include "diagnosis/diagnosis.h"
#include "diagnosis/trace.h"
#include "grid/v1/model.pb.h"

namespace grid::coordinator {

v1::HopSummary ToProto(const diagnosis::Hop& hop);
diagnosis::Hop FromProto(const v1::HopSummary& hop);

v1::TraceSummary ToProto(const diagnosis::Trace& trace);
diagnosis::Trace FromProto(const v1::TraceSummary& trace);

v1::VantageTraces ToProto(const diagnosis::VantageTraces& vantage);
diagnosis::VantageTraces FromProto(const v1::VantageTraces& vantage);

v1::Diagnosis ToProto(const diagnosis::Diagnosis& diagnosis);
diagnosis::Diagnosis FromProto(const v1::Diagnosis& diagnosis);

// Every vantage of a stored diagnosis, in record order.
std::vector<diagnosis::VantageTraces> VantagesFromProto(
    const google::protobuf::RepeatedPtrField<v1::VantageTraces>& vantages);

v1::Direction ToProto(diagnosis::Direction direction);
diagnosis::Direction FromProto(v1::Direction direction);

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_MODEL_CONVERT_H_
