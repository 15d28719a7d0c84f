#include "diagnostics/diagnostics_service.h"

#include "events/cloud_event.h"
#include "kafka/topics.h"
#include "log/logger.h"

namespace pact::diagnostics {
namespace {
constexpr std::size_t kMaxWaiting = 10'000;
constexpr std::chrono::seconds kRoundTripTimeout{15};
constexpr std::size_t kMaxPayload = 64 * 1024;
}  // namespace

DiagnosticsService::DiagnosticsService(const config::PlatformConfig& platform, const rpc::CallGate& gate,
                                       kafka::Producer& producer)
    : platform_(platform), gate_(gate.for_service("pact.diagnostics.v1.DiagnosticsService")), producer_(producer), expiry_([this] { run_expiry(); }) {}

DiagnosticsService::~DiagnosticsService() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_expiry_.notify_all();
  expiry_.join();
  // Delivery reports still to come capture this service: let them arrive while it exists.
  producer_.flush(std::chrono::seconds(10));
  abandon_waiting_calls();
}

void DiagnosticsService::run_expiry() {
  std::unique_lock lock(mutex_);
  while (!stop_expiry_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
    lock.unlock();
    expire_stale_calls();
    lock.lock();
  }
}

grpc::ServerUnaryReactor* DiagnosticsService::Echo(grpc::CallbackServerContext* context,
                                                   const v1::EchoRequest* request, v1::EchoResponse* response) {
  return gate_.async_unary(context, "Echo", [request, response](const rpc::Caller&, rpc::UnaryCompletion done) {
    response->set_payload(request->payload());
    done(grpc::Status::OK);
  });
}

grpc::ServerUnaryReactor* DiagnosticsService::RoundTrip(grpc::CallbackServerContext* context,
                                                        const v1::RoundTripRequest* request,
                                                        v1::RoundTripResponse* response) {
  return gate_.async_unary(context, "RoundTrip", [this, request, response](const rpc::Caller&,
                                                                          rpc::UnaryCompletion done) {
    std::vector<rpc::FieldViolation> violations;
    if (request->probe_id().empty() || request->probe_id().size() > 128) {
      violations.push_back({"probe_id", "must be 1-128 characters"});
    }
    if (request->payload().size() > kMaxPayload) violations.push_back({"payload", "must be at most 64 KiB"});
    if (!violations.empty()) {
      done(rpc::invalid_argument("invalid round-trip probe", violations));
      return;
    }
    {
      std::lock_guard lock(mutex_);
      if (waiting_.size() >= kMaxWaiting) {
        done(rpc::resource_exhausted("too many probes in flight", std::chrono::milliseconds(100)));
        return;
      }
      if (!waiting_.emplace(request->probe_id(), Waiting{done, response, std::chrono::steady_clock::now()}).second) {
        done(grpc::Status(grpc::StatusCode::ALREADY_EXISTS, "a probe with this id is in flight"));
        return;
      }
    }
    v1::DiagnosticProbe probe;
    probe.set_probe_id(request->probe_id());
    probe.set_payload(request->payload());
    events::CloudEvent event;
    event.id = request->probe_id();
    event.source = "/pact/" + platform_.hub.prefix() + "/" + platform_.service_name;
    event.type = v1::DiagnosticProbe::descriptor()->full_name();
    event.subject = request->probe_id();
    event.time = events::rfc3339_now();
    event.traceparent = events::TraceParent::new_root();
    event.traceparent.trace_id = done.trace_id();
    std::string probe_id = request->probe_id();
    producer_.produce({platform_.hub.topic(kafka::topic::kDiagnostics), probe_id, probe.SerializeAsString(),
                       events::to_kafka_headers(event)},
                      [this, probe_id](const kafka::DeliveryResult& result) {
                        if (result.stored()) return;  // the consumer answers the call
                        std::optional<Waiting> failed;
                        {
                          std::lock_guard lock(mutex_);
                          if (auto it = waiting_.find(probe_id); it != waiting_.end()) {
                            failed = std::move(it->second);
                            waiting_.erase(it);
                          }
                        }
                        if (!failed) return;
                        failed->completion(result.status == kafka::DeliveryStatus::queue_full
                                               ? rpc::resource_exhausted("event queue full", std::chrono::milliseconds(200))
                                               : rpc::unavailable("event not stored: " + result.error,
                                                                  std::chrono::seconds(1)));
                      });
  });
}

void DiagnosticsService::handle(const kafka::ConsumedRecord& record, kafka::WriteBatch& effects) {
  v1::DiagnosticProbe probe;
  if (!probe.ParseFromString(record.value)) throw kafka::PoisonRecord("not a DiagnosticProbe");
  effects.add({"SET", platform_.hub.redis_key({"diagnostics", "probe", probe.probe_id()}), std::to_string(record.offset),
               "EX", "3600"});
}

void DiagnosticsService::applied(const kafka::ConsumedRecord& record) {
  std::optional<Waiting> done;
  {
    std::lock_guard lock(mutex_);
    if (auto it = waiting_.find(record.key); it != waiting_.end()) {
      done = std::move(it->second);
      waiting_.erase(it);
    }
  }
  if (!done) return;  // a probe from another process or an earlier run
  done->response->set_probe_id(record.key);
  done->response->set_topic(record.topic);
  done->response->set_partition(record.partition);
  done->response->set_offset(record.offset);
  done->response->set_consumed(true);
  done->response->set_round_trip_micros(static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - done->started).count()));
  done->completion(grpc::Status::OK);
}

void DiagnosticsService::expire_stale_calls() {
  std::vector<Waiting> expired;
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      if (now - it->second.started > kRoundTripTimeout) {
        expired.push_back(std::move(it->second));
        it = waiting_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& call : expired) {
    call.completion(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "the probe was not consumed in time"));
  }
}

void DiagnosticsService::abandon_waiting_calls() {
  std::unordered_map<std::string, Waiting> waiting;
  {
    std::lock_guard lock(mutex_);
    waiting.swap(waiting_);
  }
  for (auto& [id, call] : waiting) call.completion(rpc::unavailable("stopping", std::chrono::seconds(1)));
}

}  // namespace pact::diagnostics
