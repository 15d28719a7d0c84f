#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "catalogue_set.h"
#include "decision.h"
#include "phrasebook.h"

namespace pact::screening {

// A request pinned a catalogue version this service does not hold (an old result to reproduce).
class CatalogueVersionUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Turns a screening request into a full result (level, recommendations with reasons and evidence,
// dimension results, flags, follow-up questions, unknown ids) and explains results step by step.
// Immutable and thread-safe; the expensive part, decide(), allocates nothing once warm.
class Screener {
 public:
  Screener(std::shared_ptr<const CatalogueSet> catalogues, std::shared_ptr<const Phrasebook> phrases,
           std::size_t max_follow_up_questions);

  v1::ScreeningResult screen(const v1::ScreeningRequest& request) const;
  // The explanation, in order: age and child rule, dimensions, combination, level, flags,
  // recommendations, unknown ids, catalogues.
  std::vector<v1::ExplanationStep> explain(const v1::ScreeningRequest& request, std::string_view language) const;

  const CatalogueSet& catalogues() const { return *catalogues_; }
  const Phrasebook& phrases() const { return *phrases_; }

  // Deterministic id of the result for this request: a hash of the normalised request (observed ids
  // sorted and de-duplicated; the case id left out) and the catalogue versions that apply.
  std::string result_id(const v1::ScreeningRequest& request) const;

 private:
  // The language texts are rendered in: the requested one when the phrasebook speaks it, else "en".
  std::string result_language(std::string_view requested) const;
  void check_pinned_versions(const v1::ScreeningRequest& request) const;

  std::shared_ptr<const CatalogueSet> catalogues_;
  std::shared_ptr<const Phrasebook> phrases_;
  std::size_t max_follow_up_questions_;
};

}  // namespace pact::screening
