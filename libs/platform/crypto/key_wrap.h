#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/secret_key.h"

namespace pact::crypto {

// Wraps per-case data keys under the master key. Only wrapped keys are stored (in Redis); deleting
// the wrapped key is what crypto-shredding a case means.
class KeyWrapper {
 public:
  explicit KeyWrapper(SecretKey master_key) : master_key_(std::move(master_key)) {}

  std::string wrap(const SecretKey& data_key, std::string_view case_id) const;
  // nullopt when the wrapped key was changed, belongs to another case, or another master key.
  std::optional<SecretKey> unwrap(std::string_view wrapped, std::string_view case_id) const;

 private:
  SecretKey master_key_;
};

}  // namespace pact::crypto
