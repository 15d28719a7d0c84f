#include "sop_book.h"

#include <algorithm>
#include <set>

#include "sop_loader.h"
#include "vocabulary.h"

namespace pact::routing {
namespace {

const std::vector<common::Jurisdiction> kServed = {common::JURISDICTION_AL, common::JURISDICTION_BA,
                                                   common::JURISDICTION_XK, common::JURISDICTION_ME,
                                                   common::JURISDICTION_MK, common::JURISDICTION_RS};

std::string at(const SopFile& file, int line) { return file.file + ":" + std::to_string(line) + ": "; }

bool rule_applies_in(const SopRule& rule, common::Jurisdiction jurisdiction) {
  // A regional rule naming jurisdictions in every alternative applies only there; the engine
  // checks per alternative, this only skips rules that can never hold.
  return std::any_of(rule.when.begin(), rule.when.end(), [&](const Condition& condition) {
    return condition.jurisdictions.empty() ||
           std::count(condition.jurisdictions.begin(), condition.jurisdictions.end(), jurisdiction) > 0;
  });
}

}  // namespace

SopBook SopBook::build(std::vector<SopFile> files) {
  std::vector<std::string> problems;
  auto regional = std::stable_partition(files.begin(), files.end(),
                                        [](const SopFile& file) { return file.applies_to == common::JURISDICTION_UNSPECIFIED; });
  const auto regional_count = std::distance(files.begin(), regional);
  if (regional_count == 0) throw SopError({"no regional SOP file (applies_to: regional)"});
  for (auto extra = files.begin() + 1; extra != regional; ++extra) {
    problems.push_back(at(*extra, 1) + "a second regional SOP (the first is " + files.front().file + ")");
  }
  SopBook book;
  book.files_ = std::move(files);
  const SopFile& base = book.files_.front();
  if (!base.deadline_classes.count("immediate")) {
    // The safety net (urgent medical care, child protection) needs deadlines whatever the rules say.
    problems.push_back(at(base, 1) + "the regional SOP must define the deadline class 'immediate' (the safety net uses it)");
  }
  std::map<common::Jurisdiction, const SopFile*> overrides;
  for (std::size_t i = static_cast<std::size_t>(regional_count); i < book.files_.size(); ++i) {
    const SopFile& file = book.files_[i];
    if (!overrides.emplace(file.applies_to, &file).second) {
      problems.push_back(at(file, 1) + "a second override for " + vocabulary::jurisdiction_name(file.applies_to) +
                         " (the first is " + overrides[file.applies_to]->file + ")");
    }
    if (file.overrides != base.id) {
      problems.push_back(at(file, file.overrides_line) + "overrides '" + file.overrides + "', but the regional SOP is '" + base.id + "'");
    }
    for (const std::string& id : file.disable) {
      const bool known = std::any_of(base.rules.begin(), base.rules.end(), [&](const SopRule& rule) { return rule.id == id; });
      if (!known) problems.push_back(at(file, file.disable_line) + "disables '" + id + "', which the regional SOP does not have");
    }
    for (const auto& [name, profiles] : file.deadline_classes) {
      for (const std::string& profile : base.profiles) {
        if (!profiles.count(profile)) problems.push_back(at(file, 1) + "deadline class '" + name + "' has no '" + profile + "' profile");
      }
    }
    for (const SopRule& rule : file.rules) {
      for (const ReferralTemplate& referral : rule.refer) {
        if (!file.deadline_classes.count(referral.deadline_class) && !base.deadline_classes.count(referral.deadline_class)) {
          problems.push_back(at(file, rule.line) + "rule '" + rule.id + "': unknown deadline class '" + referral.deadline_class + "'");
        }
      }
    }
  }
  if (!problems.empty()) throw SopError(std::move(problems));

  for (common::Jurisdiction jurisdiction : kServed) {
    const SopFile* local = book.override_for(jurisdiction);
    auto& rules = book.rules_[jurisdiction];
    for (const SopRule& rule : base.rules) {
      if (local && std::count(local->disable.begin(), local->disable.end(), rule.id)) continue;
      const SopRule* replacement = nullptr;
      if (local) {
        for (const SopRule& candidate : local->rules) {
          if (candidate.id == rule.id) replacement = &candidate;
        }
      }
      if (replacement) rules.push_back({local, replacement});
      else if (rule_applies_in(rule, jurisdiction)) rules.push_back({&base, &rule});
    }
    if (local) {
      for (const SopRule& rule : local->rules) {
        const bool replaces = std::any_of(base.rules.begin(), base.rules.end(), [&](const SopRule& r) { return r.id == rule.id; });
        if (!replaces) rules.push_back({local, &rule});
      }
    }
  }
  return book;
}

const SopFile* SopBook::override_for(common::Jurisdiction jurisdiction) const {
  for (std::size_t i = 1; i < files_.size(); ++i) {
    if (files_[i].applies_to == jurisdiction) return &files_[i];
  }
  return nullptr;
}

const std::vector<EffectiveRule>& SopBook::rules_for(common::Jurisdiction jurisdiction) const {
  static const std::vector<EffectiveRule> kNone;
  auto found = rules_.find(jurisdiction);
  return found == rules_.end() ? kNone : found->second;
}

const DeadlineSpec& SopBook::deadlines(common::Jurisdiction jurisdiction, const std::string& deadline_class,
                                       const std::string& profile) const {
  if (const SopFile* local = override_for(jurisdiction)) {
    auto found = local->deadline_classes.find(deadline_class);
    if (found != local->deadline_classes.end()) return found->second.at(profile);
  }
  return regional().deadline_classes.at(deadline_class).at(profile);
}

const DeadlineSpec& SopBook::escalation_deadlines(common::Jurisdiction jurisdiction, const std::string& profile) const {
  return deadlines(jurisdiction, regional().escalation_class, profile);
}

std::uint32_t SopBook::reflection_period_days(common::Jurisdiction jurisdiction) const {
  if (const SopFile* local = override_for(jurisdiction); local && local->reflection_period_days) {
    return *local->reflection_period_days;
  }
  return regional().reflection_period_days.value_or(30);
}

bool SopBook::has_profile(const std::string& profile) const {
  const auto& profiles = regional().profiles;
  return std::find(profiles.begin(), profiles.end(), profile) != profiles.end();
}

}  // namespace pact::routing
