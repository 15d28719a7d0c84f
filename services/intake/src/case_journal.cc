#include "case_journal.h"

#include <algorithm>
#include <future>

#include "case_events.h"
#include "log/logger.h"
#include "rpc/status.h"

namespace pact::intake {

namespace {
// Beyond this many waiting confirmations (Redis slow or down), a request confirms its own.
constexpr std::size_t kMaxWaitingConfirmations = 100'000;
constexpr std::size_t kConfirmationsPerRoundTrip = 512;
// A publish normally settles in milliseconds; an event staged this long ago lost its publisher.
// Settling it twice is harmless (same id and sequence; consumers keep the first).
constexpr std::chrono::seconds kStaleAfter{5};
constexpr std::chrono::seconds kStaleCheckEvery{1};
constexpr std::size_t kStaleBatch = 500;
}  // namespace

CaseJournal::CaseJournal(const config::Hub& hub, std::string service, CaseStore& store, kafka::Producer& producer)
    : hub_(hub),
      service_(std::move(service)),
      store_(store),
      producer_(producer),
      confirmer_([this] { write_confirmations(); }),
      settler_([this] { settle_stale_until_stopped(); }) {}

CaseJournal::~CaseJournal() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  stop_requested_.notify_all();
  settler_.join();
  confirmer_.join();
}

void CaseJournal::settle_stale_until_stopped() {
  std::unique_lock lock(mutex_);
  while (!stop_requested_.wait_for(lock, kStaleCheckEvery, [this] { return stopping_; })) {
    lock.unlock();
    try {
      if (std::size_t settled = settle_stale(kStaleAfter); settled > 0) {
        log::info("published case events whose publisher stopped", {{"count", settled}});
      }
    } catch (const std::exception& e) {
      log::warn("could not look for unpublished case events", {{"error", e.what()}});
    }
    lock.lock();
  }
}

bool CaseJournal::stop_requested() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

std::size_t CaseJournal::settle_stale(std::chrono::milliseconds staged_for) {
  std::size_t settled = 0;
  for (const std::string& case_id : store_.staged_before(std::chrono::system_clock::now() - staged_for, kStaleBatch)) {
    if (stop_requested()) break;
    auto stored = store_.load(case_id);
    if (!stored || stored->pending_event.empty()) {
      store_.forget_if_settled(case_id);
      continue;
    }
    const grpc::Status status = settle(case_id, stored->pending_event, "");
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
        status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      break;  // Kafka is not storing now: the next round tries again
    }
    if (!status.ok()) {
      // This one event cannot be published (unreadable, refused by the broker): it must not hold up
      // the others behind it, which come later in the same order every round.
      log::error("a staged case event cannot be published", {{"case_id", case_id}, {"error", status.error_message()}});
      continue;
    }
    ++settled;
  }
  return settled;
}

void CaseJournal::confirm_later(CaseStore::Confirmation confirmation) {
  {
    std::lock_guard lock(mutex_);
    if (confirmations_.size() < kMaxWaitingConfirmations) {
      confirmations_.push_back(std::move(confirmation));
      ready_.notify_one();
      return;
    }
  }
  store_.confirm({confirmation});
}

void CaseJournal::write_confirmations() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ready_.wait(lock, [this] { return stopping_ || !confirmations_.empty(); });
    if (confirmations_.empty()) return;  // stopping, all written
    writing_.clear();
    while (!confirmations_.empty() && writing_.size() < kConfirmationsPerRoundTrip) {
      writing_.push_back(std::move(confirmations_.front()));
      confirmations_.pop_front();
    }
    lock.unlock();
    try {
      store_.confirm(writing_);  // only this thread touches writing_ while the lock is released
    } catch (const std::exception& e) {
      // Left staged: the next change of those cases publishes the event again, same id.
      log::warn("could not confirm stored case events", {{"count", writing_.size()}, {"error", e.what()}});
    }
    lock.lock();
    writing_.clear();
    batch_written_.notify_all();
  }
}

bool CaseJournal::confirmed_here(const std::string& case_id, std::uint64_t sequence) {
  auto is_it = [&](const CaseStore::Confirmation& c) { return c.case_id == case_id && c.sequence == sequence; };
  std::unique_lock lock(mutex_);
  if (auto waiting = std::find_if(confirmations_.begin(), confirmations_.end(), is_it);
      waiting != confirmations_.end()) {
    CaseStore::Confirmation confirmation = std::move(*waiting);
    confirmations_.erase(waiting);
    lock.unlock();
    try {
      store_.confirm({confirmation});
      return true;
    } catch (const std::exception& e) {
      log::warn("could not confirm a stored case event", {{"error", e.what()}});
      return false;
    }
  }
  if (std::none_of(writing_.begin(), writing_.end(), is_it)) return false;
  batch_written_.wait(lock, [&] { return std::none_of(writing_.begin(), writing_.end(), is_it); });
  return true;  // written, or failed and still staged: the caller reloads and sees which
}

grpc::Status CaseJournal::settle(const std::string& case_id, const std::string& staged_event,
                                 const std::string& trace_id) {
  events::v1::CaseEvent event;
  if (event.ParseFromString(staged_event) && confirmed_here(case_id, event.sequence())) return grpc::Status::OK;
  return publish(case_id, staged_event, trace_id);
}

grpc::Status CaseJournal::publish(const std::string& case_id, const std::string& staged_event,
                                  const std::string& trace_id) {
  auto answer = std::make_shared<std::promise<grpc::Status>>();
  auto future = answer->get_future();
  publish_async(case_id, staged_event, trace_id, [answer](const grpc::Status& status) { answer->set_value(status); });
  return future.get();
}

void CaseJournal::publish_async(const std::string& case_id, const std::string& staged_event,
                                const std::string& trace_id, Done done) {
  events::v1::CaseEvent event;
  if (!event.ParseFromString(staged_event)) {
    done(grpc::Status(grpc::StatusCode::DATA_LOSS, "the staged case event is unreadable"));
    return;
  }
  CaseStore::Confirmation confirmation{case_id, event.sequence(), event.has_case_erased()};
  producer_.produce(case_event_record(hub_, service_, event, trace_id),
                    [this, confirmation, done = std::move(done)](const kafka::DeliveryResult& delivery) {
                      if (delivery.status == kafka::DeliveryStatus::queue_full) {
                        done(rpc::resource_exhausted("too many case events waiting for Kafka",
                                                     std::chrono::milliseconds(500)));
                      } else if (!delivery.stored()) {
                        done(rpc::unavailable(
                            "the case event could not be stored in Kafka; retry with the same idempotency key",
                            std::chrono::seconds(2)));
                      } else {
                        confirm_later(confirmation);
                        done(grpc::Status::OK);
                      }
                    });
}

}  // namespace pact::intake
