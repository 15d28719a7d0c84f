#pragma once

// Blind indexes for duplicate detection without cleartext (DESIGN.md "Data protection").
//
// Two registrations of the same person in one jurisdiction should be linked as possible
// duplicates, but intake must never keep a searchable copy of names or document numbers. So we
// keep only keyed hashes (HMAC) of *normalised* values: two spellings that normalise to the same
// string give the same token, and without the key a token reveals nothing and cannot be
// brute-forced from a list of common names.
//
// The normalisers return cleartext personal data: they are public for tests only. Callers must
// never log, store or send what they return; BlindIndexer is the only intended user.

#include <string>
#include <string_view>
#include <vector>

#include "crypto/keyed_hash.h"
#include "crypto/secret_key.h"
#include "pact/common/v1/common.pb.h"
#include "pact/intake/v1/intake.pb.h"

namespace pact::intake {

// A document number as printed, reduced to upper-case ASCII letters and digits: separators are
// dropped, Cyrillic look-alike capitals (А В Е К М Н О Р С Т Х У, also І Ј Ѕ) become their Latin
// twins and Arabic-Indic digits become ASCII, so "АВ 123-456" (Cyrillic) equals "AB123456".
std::string normalise_document_number(std::string_view raw);

// A person's name reduced to a spelling-insensitive key: transliterated to lower-case ASCII
// (ICU, with the Serbian and Macedonian romanisations), split into words, each word folded
// phonetically and mapped to a canonical form if it is a common Arabic/Farsi name, the words
// sorted (given/family order does not matter) and joined by one space. Empty if no letters.
// Thread-safe. What matches and what deliberately does not: tests/blind_index_test.cc.
std::string normalise_name(std::string_view raw);

// True unless the date is a complete, valid calendar date that is not 1 January: year-only and
// year-month dates, 00 months or days, 1 January and malformed dates are placeholders (at most
// weak evidence that two records are the same person).
bool is_placeholder_date(std::string_view yyyy_mm_dd);

// One blind-index token of a person. Only the token is derived from personal data; it is safe to
// store (e.g. as a Redis key scoped by jurisdiction) and to compare, never to log with the case.
struct BlindIndexEntry {
  std::string token;
  v1::DuplicateBasis basis;
  v1::EvidenceStrength strength;

  friend bool operator==(const BlindIndexEntry&, const BlindIndexEntry&) = default;
};

class BlindIndexer {
 public:
  // `key` must be a secret used for blind indexes only (not the case-id or master key).
  // Creates the shared ICU transliterator (~30 ms): construct at start-up. Throws
  // std::runtime_error if ICU's transliteration data is missing.
  explicit BlindIndexer(crypto::SecretKey key);

  // Tokens for one person, scoped to `jurisdiction` (the same person in two jurisdictions gives
  // different tokens). Each distinct token once, in a deterministic order:
  // - one STRONG document-number token per identifier (type + normalised number);
  // - one name + date-of-birth token per distinct name (given + family, and each other name on
  //   its own): STRONG with a real date, WEAK with a placeholder or partial date. A placeholder
  //   1 January, "1999", "1999-00-00" all count as "1999" and match one another.
  // No token from a name alone, from a date alone, or for JURISDICTION_UNSPECIFIED.
  std::vector<BlindIndexEntry> entries_for(common::v1::Jurisdiction jurisdiction, const v1::Person& person) const;

 private:
  void add_document_entries(std::string_view jurisdiction, const v1::Person& person,
                            std::vector<BlindIndexEntry>& entries) const;
  void add_name_and_date_entries(std::string_view jurisdiction, const v1::Person& person,
                                 std::vector<BlindIndexEntry>& entries) const;

  crypto::KeyedHasher hasher_;
};

}  // namespace pact::intake
