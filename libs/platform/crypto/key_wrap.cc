#include "crypto/key_wrap.h"

#include "crypto/aead.h"

namespace pact::crypto {
namespace {
std::string wrap_associated_data(std::string_view case_id) { return case_associated_data(case_id, "pact.case-data-key"); }
}  // namespace

std::string KeyWrapper::wrap(const SecretKey& data_key, std::string_view case_id) const {
  return seal(master_key_, data_key.view(), wrap_associated_data(case_id));
}

std::optional<SecretKey> KeyWrapper::unwrap(std::string_view wrapped, std::string_view case_id) const {
  auto raw = open(master_key_, wrapped, wrap_associated_data(case_id));
  if (!raw || raw->size() != kKeyBytes) return std::nullopt;
  return SecretKey::from_bytes(*raw);
}

}  // namespace pact::crypto
