#include "live_situation.h"

#include <google/protobuf/util/json_util.h>

#include "kafka/topics.h"
#include "log/logger.h"

namespace pact::situation {
namespace {

std::string position_key(const std::string& topic, std::int32_t partition) {
  return topic + "/" + std::to_string(partition);
}

}  // namespace

LiveSituation::LiveSituation(ViewSettings view, const std::optional<v1::SituationSnapshot>& start)
    : view_(std::move(view)) {
  if (!start) return;
  model_ = SituationModel(start->state());
  for (const auto& [key, next] : start->next_offsets()) {
    const auto slash = key.rfind('/');
    if (slash == std::string::npos) continue;
    positions_[{key.substr(0, slash), std::stoi(key.substr(slash + 1))}] = next;
  }
}

void LiveSituation::apply(const kafka::FollowedRecord& record) {
  namespace topic = kafka::topic;
  bool changed = false;
  bool decoded = true;
  {
    std::lock_guard lock(mutex_);
    if (record.topic_base == topic::kCase) {
      events::v1::CaseEvent event;
      decoded = event.ParseFromString(record.value);
      if (decoded) changed = model_.apply(event);
    } else if (record.topic_base == topic::kScreening) {
      events::v1::ScreeningEvent event;
      decoded = event.ParseFromString(record.value);
      if (decoded) changed = model_.apply(event);
    } else if (record.topic_base == topic::kReferral) {
      events::v1::ReferralEvent event;
      decoded = event.ParseFromString(record.value);
      if (decoded) changed = model_.apply(event);
    }
    positions_[{record.topic_base, record.partition}] = record.offset + 1;
  }
  if (!decoded) {
    ++undecodable_;
    log::warn("situation: record does not decode, skipped",
              {{"topic", record.topic_base}, {"partition", record.partition}, {"offset", record.offset}});
  }
  if (changed) changes_.notify_all();
}

kafka::FollowPositions LiveSituation::positions() const {
  std::lock_guard lock(mutex_);
  return positions_;
}

v1::SituationSnapshot LiveSituation::snapshot() const {
  v1::SituationSnapshot snapshot;
  std::lock_guard lock(mutex_);
  *snapshot.mutable_state() = model_.state();
  for (const auto& [where, next] : positions_) {
    (*snapshot.mutable_next_offsets())[position_key(where.first, where.second)] = next;
  }
  return snapshot;
}

std::shared_ptr<const Picture> LiveSituation::picture(bool exercise, const ViewScope& scope, Clock::time_point now) {
  const std::int64_t second = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::pair<bool, std::string> cache_key{exercise, scope.key()};
  auto picture = std::make_shared<Picture>();
  {
    std::lock_guard lock(mutex_);
    auto found = cached_.find(cache_key);
    if (found != cached_.end() && found->second.picture && found->second.revision == model_.revision() &&
        found->second.second == second) {
      return found->second.picture;
    }
    picture->situation = build_situation(model_.state(), exercise, now, view_, scope);
  }
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  if (!google::protobuf::util::MessageToJsonString(picture->situation, &picture->json, options).ok()) {
    throw std::runtime_error("situation picture does not render as JSON");
  }
  std::lock_guard lock(mutex_);
  if (cached_.size() > 64) cached_.clear();  // many scopes at once: keep the cache bounded
  Cached& cached = cached_[cache_key];
  if (!cached.picture || picture->situation.revision() >= cached.revision) {
    cached = Cached{picture->situation.revision(), second, picture};
  }
  return picture;
}

std::uint64_t LiveSituation::revision() const {
  std::lock_guard lock(mutex_);
  return model_.revision();
}

std::uint64_t LiveSituation::wait_for_change(std::uint64_t seen, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  changes_.wait_for(lock, timeout, [&] { return closed_ || model_.revision() > seen; });
  return model_.revision();
}

void LiveSituation::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  changes_.notify_all();
}

bool LiveSituation::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

}  // namespace pact::situation
