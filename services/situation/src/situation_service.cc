#include "situation_service.h"

#include "log/logger.h"
#include "situation_view.h"

namespace pact::situation {

// One WatchSituation stream. The pump offers it each new picture; while a write is in flight the
// newest offer waits (older ones are dropped: a duty officer needs the latest picture, not every one).
class SituationService::Watch : public grpc::ServerWriteReactor<v1::Situation> {
 public:
  Watch(SituationService& owner, bool exercise) : owner_(owner), exercise_(exercise) {}

  bool exercise() const { return exercise_; }
  // Set once the caller is admitted; until then the pump offers it nothing.
  void admit(ViewScope scope) {
    scope_ = std::move(scope);
    admitted_.store(true, std::memory_order_release);
  }
  bool admitted() const { return admitted_.load(std::memory_order_acquire); }
  const ViewScope& scope() const { return scope_; }

  void offer(std::shared_ptr<const Picture> picture) {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    if (writing_) {
      pending_ = std::move(picture);
      return;
    }
    write(std::move(picture));
  }

  void end(const grpc::Status& status) {
    {
      std::lock_guard lock(mutex_);
      if (finished_) return;
      finished_ = true;
    }
    Finish(status);
  }

  void OnWriteDone(bool ok) override {
    {
      std::lock_guard lock(mutex_);
      writing_ = false;
      if (finished_) return;
      if (ok) {
        if (pending_) write(std::exchange(pending_, nullptr));
        return;
      }
    }
    end(grpc::Status::CANCELLED);  // the client went away
  }

  void OnCancel() override { end(grpc::Status::CANCELLED); }

  // The service's reference goes; whoever holds the last one (the pump, mid-offer) deletes it.
  void OnDone() override { owner_.forget(this); }

 private:
  void write(std::shared_ptr<const Picture> picture) {
    current_ = std::move(picture);  // kept alive until the write is done
    writing_ = true;
    StartWrite(&current_->situation);
  }

  SituationService& owner_;
  const bool exercise_;
  ViewScope scope_;
  std::atomic<bool> admitted_{false};
  // Recursive: gRPC may run OnWriteDone inline from StartWrite on the same thread.
  std::recursive_mutex mutex_;
  bool writing_ = false;
  bool finished_ = false;
  std::shared_ptr<const Picture> current_;
  std::shared_ptr<const Picture> pending_;
};

SituationService::SituationService(const rpc::CallGate& gate, LiveSituation& live, Streaming streaming)
    : gate_(gate.for_service("pact.situation.v1.SituationService")), live_(live), streaming_(streaming) {
  pump_ = std::thread([this] { pump(); });
}

SituationService::~SituationService() { stop(); }

grpc::ServerUnaryReactor* SituationService::GetSituation(grpc::CallbackServerContext* context,
                                                         const v1::GetSituationRequest* request,
                                                         v1::Situation* response) {
  return gate_.blocking_unary(context, "GetSituation", [this, request, response](const rpc::Caller& caller) {
    *response = live_.picture(request->exercise(), scope_of(caller))->situation;
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* SituationService::ListAlerts(grpc::CallbackServerContext* context,
                                                       const v1::ListAlertsRequest* request,
                                                       v1::ListAlertsResponse* response) {
  return gate_.blocking_unary(context, "ListAlerts", [this, request, response](const rpc::Caller& caller) {
    *response = live_.read_state([&](const v1::SituationState& state) {
      return list_alerts(state, request->exercise(), request->include_cleared(), scope_of(caller));
    });
    return grpc::Status::OK;
  });
}

grpc::ServerWriteReactor<v1::Situation>* SituationService::WatchSituation(grpc::CallbackServerContext* context,
                                                                          const v1::GetSituationRequest* request) {
  auto watch = std::make_shared<Watch>(*this, request->exercise());
  std::optional<grpc::Status> refusal;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || watches_.size() >= streaming_.max_streams) {
      refusal = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "too many situation streams open; retry later");
    }
    watches_[watch.get()] = watch;  // refused ones too: OnDone releases every stream the same way
  }
  auto admitted = gate_.admit_stream(*context, "WatchSituation");
  if (auto* denied = std::get_if<grpc::Status>(&admitted)) refusal = *denied;
  if (refusal) {
    watch->end(*refusal);
  } else {
    watch->admit(scope_of(std::get<rpc::Caller>(admitted)));
    watch->offer(live_.picture(request->exercise(), watch->scope()));
  }
  return watch.get();
}

void SituationService::pump() {
  std::uint64_t seen = live_.revision();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    // A new picture on every change, and at least every idle interval: deadlines pass without events.
    seen = live_.wait_for_change(seen, streaming_.idle_push_interval);
    std::vector<std::shared_ptr<Watch>> watches;
    lock.lock();
    if (stopping_) break;
    for (const auto& [key, watch] : watches_) watches.push_back(watch);
    lock.unlock();
    for (const auto& watch : watches) {
      if (!watch->admitted()) continue;
      try {
        // Watches with the same scope share the cached picture.
        watch->offer(live_.picture(watch->exercise(), watch->scope()));
      } catch (const std::exception& e) {
        log::error("situation stream failed", {{"error", e.what()}});
        watch->end(grpc::Status(grpc::StatusCode::INTERNAL, "the situation could not be made; reconnect"));
      }
    }
    watches.clear();
    lock.lock();
    wake_.wait_for(lock, streaming_.push_interval, [this] { return stopping_; });
  }
}

std::shared_ptr<SituationService::Watch> SituationService::forget(Watch* watch) {
  std::lock_guard lock(mutex_);
  auto found = watches_.find(watch);
  if (found == watches_.end()) return nullptr;
  auto held = std::move(found->second);
  watches_.erase(found);
  return held;
}

void SituationService::stop() {
  std::vector<std::shared_ptr<Watch>> watches;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    for (const auto& [key, watch] : watches_) watches.push_back(watch);
  }
  wake_.notify_all();
  for (const auto& watch : watches) watch->end(grpc::Status::OK);
  if (pump_.joinable()) pump_.join();
}

}  // namespace pact::situation
