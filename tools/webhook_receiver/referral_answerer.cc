#include "referral_answerer.h"

#include <algorithm>
#include <array>
#include <utility>

#include "acknowledgement_link.h"
#include "rpc/authenticator.h"
#include "rpc/status.h"

namespace pact::tools::webhook_receiver {
namespace {

namespace routing_v1 = ::pact::routing::v1;

constexpr std::string_view kReferralRequest = "referral_request";
// An escalation is a referral attempt addressed to a coordination contact (EOC duty desk, national
// coordinator); their desks answer it as providers answer requests.
constexpr std::string_view kEscalation = "escalation";

// The receiver's own identity, for looking referrals up before it knows whose they are: a routing
// administrator of the region (the stand-in NGOs are everyone's).
rpc::Caller receiver_identity() {
  rpc::Caller caller;
  caller.subject = "pact-webhook-receiver";
  caller.organisation = "pact-webhook-receiver";
  caller.roles = {"routing_admin"};
  caller.jurisdictions = {"RS", "MK", "AL", "BA", "ME", "XK"};
  return caller;
}

// A person at the provider a referral is addressed to: routing lets only that organisation answer.
rpc::Caller provider_staff(const std::string& subject, const std::string& organisation) {
  rpc::Caller caller;
  caller.kind = rpc::CallerKind::person;
  caller.subject = subject;
  caller.organisation = organisation;
  caller.roles = {"provider"};
  return caller;
}

// Routing still waits for the provider: requested (not yet acknowledged) or received.
bool waits_for_answer(routing_v1::ReferralStatus status) {
  return status == routing_v1::REFERRAL_STATUS_REQUESTED || status == routing_v1::REFERRAL_STATUS_RECEIVED;
}

// Worth another attempt: routing or one of its dependencies is down for a moment, or it sheds
// load. Looking up is harmless and answering is idempotent, so a retry after a lost reply is safe.
bool is_transient(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::RESOURCE_EXHAUSTED;
}

std::string describe(const grpc::Status& status) {
  // grpc::StatusCode in order; grpc++ has no public name lookup.
  static constexpr std::array<const char*, 17> kNames = {
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
      "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
  };
  const auto code = static_cast<std::size_t>(status.error_code());
  const std::string name = code < kNames.size() ? kNames[code] : "code " + std::to_string(code);
  return status.error_message().empty() ? name : name + ": " + status.error_message();
}

}  // namespace

ReferralAnswerer::ReferralAnswerer(AnswererOptions options, std::shared_ptr<const security::ToolIdentity> tool,
                                   const std::string& routing_address)
    : options_(std::move(options)),
      tool_(std::move(tool)),
      routing_(routing_v1::RoutingService::NewStub(tool_->channel(routing_address))) {
  worker_ = std::thread([this] { work(); });
}

ReferralAnswerer::~ReferralAnswerer() { stop(); }

void ReferralAnswerer::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    pending_.clear();
    if (call_in_flight_ != nullptr) call_in_flight_->TryCancel();
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void ReferralAnswerer::on_message(const ReceivedMessage& message) {
  const bool request = (message.type == kReferralRequest || message.type == kEscalation) && !message.referral_id.empty();
  // Decided before the lock: a hash, no waiting.
  const ProviderAnswer answer = request ? choose_answer(options_.mix, message.referral_id) : ProviderAnswer::none;
  bool queued = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++by_type_[message.type.empty() ? "unknown" : message.type];
    if (!request) return;
    const auto [it, first] = decisions_.try_emplace(message.referral_id);
    if (!first) {
      // The same referral again, under another delivery id (another contact of the same provider,
      // or the receiver was reset): one answer is all a provider gives.
      ++repeated_requests_;
      return;
    }
    it->second.answer = answer;
    if (answer == ProviderAnswer::none) {
      it->second.outcome = Outcome::unanswered;
      ++unanswered_;
      return;
    }
    if (stopping_) return;
    if (pending_.size() >= options_.max_pending) {
      it->second.outcome = Outcome::failed;
      ++failed_;
      last_error_ = "answer queue full (" + std::to_string(options_.max_pending) + " waiting): " + message.referral_id;
      return;
    }
    pending_.push_back({message.referral_id, message.ack_url, answer,
                        std::chrono::steady_clock::now() + options_.answer_after});
    queued = pending_.size() == 1;  // otherwise the worker is already waiting for an earlier one
  }
  if (queued) wake_.notify_all();
}

void ReferralAnswerer::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (stopping_) return;
    // A fixed delay keeps the queue in due order: the front is the next answer to give.
    const auto due = pending_.front().due;
    if (wake_.wait_until(lock, due, [this] { return stopping_; })) return;
    PendingAnswer next = std::move(pending_.front());
    pending_.pop_front();
    in_progress_ = true;
    lock.unlock();
    const Outcome outcome = give(next);
    lock.lock();
    in_progress_ = false;
    if (stopping_) return;  // cut short: not an outcome of the referral
    auto found = decisions_.find(next.referral_id);
    if (found == decisions_.end()) {  // reset meanwhile: counted afresh
      found = decisions_.emplace(next.referral_id, Decision{next.answer, Outcome::pending}).first;
    }
    found->second.outcome = outcome;
    switch (outcome) {
      case Outcome::accepted: ++accepted_; break;
      case Outcome::rejected: ++rejected_; break;
      case Outcome::too_late: ++too_late_; break;
      case Outcome::failed: ++failed_; break;
      case Outcome::pending:
      case Outcome::unanswered: break;  // never the result of giving an answer
    }
  }
}

template <typename Call>
grpc::Status ReferralAnswerer::call_routing(const rpc::Caller& caller, Call call) {
  std::chrono::milliseconds backoff = options_.first_backoff;
  for (int attempt = 1;; ++attempt) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + options_.call_deadline);
    tool_->identify(context, caller);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return grpc::Status(grpc::StatusCode::CANCELLED, "stopping");
      call_in_flight_ = &context;
    }
    const grpc::Status status = call(context);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      call_in_flight_ = nullptr;
    }
    if (!is_transient(status.error_code()) || attempt >= options_.attempts) return status;
    // A server that says when to come back (RetryInfo) is taken at its word.
    if (!pause(std::max(backoff, rpc::retry_delay(status).value_or(backoff)))) return status;
    backoff *= 2;
  }
}

ReferralAnswerer::Outcome ReferralAnswerer::give(const PendingAnswer& pending) {
  const std::string& referral_id = pending.referral_id;

  routing_v1::GetReferralRequest lookup;
  lookup.set_referral_id(referral_id);
  routing_v1::GetReferralResponse found;
  grpc::Status status = call_routing(receiver_identity(), [&](grpc::ClientContext& context) {
    return routing_->GetReferral(&context, lookup, &found);
  });
  if (!status.ok()) return failed("GetReferral " + referral_id + ": " + describe(status));
  const routing_v1::Referral& referral = found.referral();
  // Cancelled (a deadline missed, consent withdrawn), re-routed or answered before the person got
  // to it; or on hold, which no answer can change either.
  if (!waits_for_answer(referral.status())) return Outcome::too_late;
  if (referral.organization_id().empty()) return failed("GetReferral " + referral_id + ": no organisation");

  if (!pending.ack_url.empty()) acknowledge(pending);

  const rpc::Caller staff = provider_staff(options_.subject, referral.organization_id());
  if (pending.answer == ProviderAnswer::accept) {
    // No note: a note is personal data, sealed under the case key, which would make the answer
    // depend on intake releasing that key.
    routing_v1::AcceptReferralRequest accept;
    accept.set_referral_id(referral_id);
    routing_v1::AcceptReferralResponse accepted;
    status = call_routing(staff, [&](grpc::ClientContext& context) {
      return routing_->AcceptReferral(&context, accept, &accepted);
    });
  } else {
    routing_v1::RejectReferralRequest reject;
    reject.set_referral_id(referral_id);
    reject.set_reason(rejection_reason(referral_id));
    routing_v1::RejectReferralResponse rejected;
    status = call_routing(staff, [&](grpc::ClientContext& context) {
      return routing_->RejectReferral(&context, reject, &rejected);
    });
  }
  const bool accepting = pending.answer == ProviderAnswer::accept;
  if (status.ok()) return accepting ? Outcome::accepted : Outcome::rejected;
  // Routing moved on between the look-up and the answer: not the receiver's failure.
  if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) return Outcome::too_late;
  return failed(std::string(accepting ? "AcceptReferral " : "RejectReferral ") + referral_id + ": " + describe(status));
}

// Not acknowledged is no reason to hold the answer back: a person whose click failed still
// answers, and an answer acknowledges too.
void ReferralAnswerer::acknowledge(const PendingAnswer& pending) {
  LinkPress press;
  std::chrono::milliseconds backoff = options_.first_backoff;
  for (int attempt = 1;; ++attempt) {
    press = press_confirm_receipt(pending.ack_url, options_.call_deadline);
    if (press.result != LinkPress::Result::unreachable || attempt >= options_.attempts || !pause(backoff)) break;
    backoff *= 2;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (press.result == LinkPress::Result::acknowledged) {
    ++acknowledged_;
  } else {
    ++acknowledge_failed_;
    last_error_ = "acknowledgement link of " + pending.referral_id + ": " + press.detail;
  }
}

bool ReferralAnswerer::pause(std::chrono::milliseconds backoff) {
  std::unique_lock<std::mutex> lock(mutex_);
  return !wake_.wait_for(lock, backoff, [this] { return stopping_; });
}

ReferralAnswerer::Outcome ReferralAnswerer::failed(std::string message) {
  std::lock_guard<std::mutex> lock(mutex_);
  last_error_ = std::move(message);
  return Outcome::failed;
}

const char* ReferralAnswerer::outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::pending: return "pending";
    case Outcome::accepted: return "accepted";
    case Outcome::rejected: return "rejected";
    case Outcome::unanswered: return "unanswered";
    case Outcome::too_late: return "too_late";
    case Outcome::failed: return "failed";
  }
  return "pending";
}

nlohmann::json ReferralAnswerer::stats(bool summary) const {
  std::lock_guard<std::mutex> lock(mutex_);
  nlohmann::json answers = {
      {"accept_percent", options_.mix.accept_percent},
      {"reject_percent", options_.mix.reject_percent},
      {"answer_after_ms", options_.answer_after.count()},
      {"pending", pending_.size() + (in_progress_ ? 1 : 0)},
      {"accepted", accepted_},
      {"rejected", rejected_},
      {"unanswered", unanswered_},
      {"too_late", too_late_},
      {"failed", failed_},
      {"acknowledged", acknowledged_},
      {"acknowledge_failed", acknowledge_failed_},
      {"repeated_requests", repeated_requests_},
      {"by_type", by_type_},
  };
  answers["last_error"] = last_error_.empty() ? nlohmann::json(nullptr) : nlohmann::json(last_error_);
  if (!summary) {
    nlohmann::json referrals = nlohmann::json::array();
    for (const auto& [referral_id, decision] : decisions_) {
      referrals.push_back({{"referral_id", referral_id},
                           {"answer", answer_name(decision.answer)},
                           {"outcome", outcome_name(decision.outcome)}});
    }
    answers["referrals"] = std::move(referrals);
  }
  return {{"answers", std::move(answers)}};
}

void ReferralAnswerer::reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  decisions_.clear();
  by_type_.clear();
  accepted_ = rejected_ = unanswered_ = too_late_ = failed_ = 0;
  acknowledged_ = acknowledge_failed_ = repeated_requests_ = 0;
  last_error_.clear();
}

}  // namespace pact::tools::webhook_receiver
