#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/support/status.h>

#include "case_store.h"
#include "config/hub.h"
#include "kafka/producer.h"

namespace pact::intake {

// Publishes staged case events and confirms them in the store, so that every change a client was
// told about is in Kafka (acks=all) and events of one case leave in sequence order.
class CaseJournal {
 public:
  CaseJournal(const config::Hub& hub, std::string service, CaseStore& store, kafka::Producer& producer);
  ~CaseJournal();
  CaseJournal(const CaseJournal&) = delete;
  CaseJournal& operator=(const CaseJournal&) = delete;

  // Publishes the staged event (serialized CaseEvent) and confirms it. UNAVAILABLE or
  // RESOURCE_EXHAUSTED (with RetryInfo) when Kafka did not store it; the event stays staged and
  // the client's retry with the same idempotency key publishes it.
  grpc::Status publish(const std::string& case_id, const std::string& staged_event, const std::string& trace_id);
  // The same without holding a thread while Kafka answers: `done` runs once, on the producer's
  // delivery thread (or at once when the event cannot even be queued); it must not block.
  using Done = std::function<void(const grpc::Status&)>;
  void publish_async(const std::string& case_id, const std::string& staged_event, const std::string& trace_id,
                     Done done);
  // Brings a staged event found in the store to confirmed before anything else happens to its
  // case. When this process already stored it in Kafka and only its confirmation is waiting (the
  // usual reason: the case changes again within milliseconds), the confirmation is written now;
  // otherwise (a crash, or Redis failed the confirmation) it is published again, same id.
  grpc::Status settle(const std::string& case_id, const std::string& staged_event, const std::string& trace_id);

  // Publishes events staged longer ago than `staged_for` (their publisher died, or Kafka or Redis
  // failed it and no client retried) and returns how many it brought to confirmed. A running
  // journal calls this every second; an acknowledged change is therefore never left unannounced.
  std::size_t settle_stale(std::chrono::milliseconds staged_for);

 private:
  // Confirmations are written in batches off the request path: until one lands, the event merely
  // stays staged, and the worst case (a crash first) is the same event, same id, published again.
  void confirm_later(CaseStore::Confirmation confirmation);
  void write_confirmations();
  void settle_stale_until_stopped();
  bool stop_requested();
  // True when the confirmation of (case, sequence) was waiting or being written and is now written.
  bool confirmed_here(const std::string& case_id, std::uint64_t sequence);

  const config::Hub& hub_;
  std::string service_;
  CaseStore& store_;
  kafka::Producer& producer_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<CaseStore::Confirmation> confirmations_;
  std::vector<CaseStore::Confirmation> writing_;  // the batch the confirmer is writing now
  std::condition_variable batch_written_;
  bool stopping_ = false;
  std::condition_variable stop_requested_;
  std::thread confirmer_;  // last: started once everything it uses exists
  std::thread settler_;
};

}  // namespace pact::intake
