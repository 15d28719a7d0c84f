#include "answer_mix.h"

#include <array>
#include <charconv>

namespace pact::tools::webhook_receiver {
namespace {

// FNV-1a, then the splitmix64 finaliser: ids that differ in one character (attempt 1 and 2 of the
// same need) still land in unrelated buckets. Spelled out rather than std::hash, whose value may
// change with the standard library, so a run stays repeatable across builds.
std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ULL;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebULL;
  hash ^= hash >> 31;
  return hash;
}

std::optional<int> parse_percent(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0 || value > 100) return std::nullopt;
  return value;
}

}  // namespace

std::optional<AnswerMix> parse_answer_mix(std::string_view text, std::string& error) {
  AnswerMix mix{0, 0};
  bool seen_accept = false;
  bool seen_reject = false;
  if (text.empty()) {
    error = "say accept=N,reject=N";
    return std::nullopt;
  }
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const std::size_t equals = item.find('=');
    const std::string_view name = item.substr(0, equals);
    const auto percent = equals == std::string_view::npos ? std::nullopt : parse_percent(item.substr(equals + 1));
    if ((name != "accept" && name != "reject") || !percent) {
      error = "\"" + std::string(item) + "\" is not accept=N or reject=N with N in 0..100";
      return std::nullopt;
    }
    const bool accept = name == "accept";
    bool& seen = accept ? seen_accept : seen_reject;
    if (seen) {
      error = std::string(name) + " is given twice";
      return std::nullopt;
    }
    seen = true;
    (accept ? mix.accept_percent : mix.reject_percent) = *percent;
  }
  if (mix.accept_percent + mix.reject_percent > 100) {
    error = "accept and reject add up to more than 100";
    return std::nullopt;
  }
  return mix;
}

const char* answer_name(ProviderAnswer answer) {
  switch (answer) {
    case ProviderAnswer::accept: return "accept";
    case ProviderAnswer::reject: return "reject";
    case ProviderAnswer::none: return "none";
  }
  return "none";
}

ProviderAnswer choose_answer(const AnswerMix& mix, std::string_view referral_id) {
  const auto bucket = static_cast<int>(stable_hash(referral_id) % 100);
  if (bucket < mix.accept_percent) return ProviderAnswer::accept;
  if (bucket < mix.accept_percent + mix.reject_percent) return ProviderAnswer::reject;
  return ProviderAnswer::none;
}

routing::v1::ReferralStatusReason rejection_reason(std::string_view referral_id) {
  // Half no capacity; the hash's higher digits, so the reason does not follow the answer's bucket.
  static constexpr std::array<routing::v1::ReferralStatusReason, 4> kReasons = {
      routing::v1::REFERRAL_STATUS_REASON_NO_CAPACITY,
      routing::v1::REFERRAL_STATUS_REASON_NO_CAPACITY,
      routing::v1::REFERRAL_STATUS_REASON_OUTSIDE_SERVICE_AREA,
      routing::v1::REFERRAL_STATUS_REASON_SERVICE_UNAVAILABLE,
  };
  return kReasons[(stable_hash(referral_id) / 100) % kReasons.size()];
}

}  // namespace pact::tools::webhook_receiver
