#pragma once

#include <map>
#include <string>
#include <vector>

#include "sop.h"

namespace pact::routing {

// A rule as it applies in one jurisdiction, with the file it came from (for the referral's record).
struct EffectiveRule {
  const SopFile* sop = nullptr;
  const SopRule* rule = nullptr;
};

// The regional SOP with every jurisdiction's override applied: what holds in each jurisdiction.
// Built once at start (and by --check-config); cross-file problems are reported with file:line.
class SopBook {
 public:
  // Throws SopError for problems between files (no or two regional files, two overrides of one
  // jurisdiction, an override of an unknown SOP, disabling an unknown rule, an undefined class).
  static SopBook build(std::vector<SopFile> files);

  const std::vector<EffectiveRule>& rules_for(common::Jurisdiction jurisdiction) const;
  // The deadlines of a class in a jurisdiction (its override's definition wins) for a profile.
  const DeadlineSpec& deadlines(common::Jurisdiction jurisdiction, const std::string& deadline_class,
                                const std::string& profile) const;
  const DeadlineSpec& escalation_deadlines(common::Jurisdiction jurisdiction, const std::string& profile) const;
  std::uint32_t reflection_period_days(common::Jurisdiction jurisdiction) const;
  bool has_profile(const std::string& profile) const;
  const SopFile& regional() const { return files_.front(); }
  const std::vector<SopFile>& files() const { return files_; }

 private:
  const SopFile* override_for(common::Jurisdiction jurisdiction) const;

  std::vector<SopFile> files_;  // the regional file first
  std::map<common::Jurisdiction, std::vector<EffectiveRule>> rules_;
};

}  // namespace pact::routing
