#pragma once

#include <string>

#include "kafka/consumed_record.h"

namespace pact::testing {

// The simplest record effect there is: RPUSH the record's value onto one list. Tests count what the
// list holds to prove nothing was lost and nothing applied twice.
class AppendHandler : public kafka::RecordHandler {
 public:
  explicit AppendHandler(std::string list_key) : list_key_(std::move(list_key)) {}
  void handle(const kafka::ConsumedRecord& record, kafka::WriteBatch& effects) override {
    effects.add({"RPUSH", list_key_, record.value});
  }

 private:
  std::string list_key_;
};

}  // namespace pact::testing
