#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "crypto/keyed_hash.h"

namespace pact::ids {

// Ids are deterministic where a retry or a replay could otherwise mint a second one, and never
// encode time (DESIGN.md "Processing guarantees").
class IdMinter {
 public:
  explicit IdMinter(crypto::SecretKey id_key) : hasher_(std::move(id_key)) {}

  // One case per registration: keyed hash of (hub, caller's organisation, idempotency key).
  std::string case_id(std::string_view hub, std::string_view organisation, std::string_view idempotency_key) const;

 private:
  crypto::KeyedHasher hasher_;
};

// The id of an event a stage emits for an input event: derived from the input event's id, the
// stage, and the position of this output among the input's outputs. Not secret, so unkeyed.
std::string derive_event_id(std::string_view input_event_id, std::string_view stage, std::uint32_t position);

// An unkeyed, deterministic id for content: "<prefix>-" + base32 of a hash of the length-prefixed
// parts (so ("ab","c") and ("a","bc") differ). For results that must be reproducible, not secret.
std::string content_id(std::string_view prefix, std::initializer_list<std::string_view> parts);

// This process among the replicas of a service: "<service>-<host>-<pid>-<random>". Replicas in
// containers all run as pid 1, so the pid alone would make them one owner of a lease.
std::string instance_id(std::string_view service);

// Referral need and attempt ids: a need is (case, need type); an attempt is (need, attempt number).
std::string need_id(std::string_view case_id, std::string_view need_type);
std::string attempt_id(std::string_view need_id, std::uint32_t attempt_number);

}  // namespace pact::ids
