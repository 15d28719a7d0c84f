#include "sop_loader.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "config/yaml_reader.h"
#include "vocabulary.h"

namespace pact::routing {
namespace {

using config::NameTable;

const NameTable<std::string> kFlagNames = {{"presumed_child", "presumed_child"},
                                           {"unaccompanied_or_separated", "unaccompanied_or_separated"},
                                           {"urgent_medical", "urgent_medical"},
                                           {"immediate_danger", "immediate_danger"},
                                           {"language_barrier", "language_barrier"}};
const NameTable<AgeCondition> kAges = {{"child", AgeCondition::child}, {"adult", AgeCondition::adult}};
const NameTable<DecisionCondition> kDecisions = {
    {"reasonable_grounds", DecisionCondition::reasonable_grounds},
    {"formal_identification", DecisionCondition::formal_identification},
    {"risk_to_life_exception", DecisionCondition::risk_to_life_exception},
    {"child_protection_exception", DecisionCondition::child_protection_exception}};

// "45s", "30m", "4h", "2d".
std::optional<Seconds> duration(config::YamlReader& reader, const YAML::Node& node, const std::string& what) {
  if (node.IsScalar() && node.Scalar().size() >= 2) {
    const std::string& text = node.Scalar();
    const std::string digits = text.substr(0, text.size() - 1);
    const bool numeric = std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (numeric && digits.size() <= 6) {
      const long long amount = std::stoll(digits);
      switch (text.back()) {
        case 's': return Seconds(amount);
        case 'm': return Seconds(amount * 60);
        case 'h': return Seconds(amount * 3600);
        case 'd': return Seconds(amount * 86400);
        default: break;
      }
    }
  }
  reader.problem(node, what + " must be a duration such as 45s, 30m, 4h or 2d");
  return std::nullopt;
}

std::optional<DeadlineSpec> deadline_spec(config::YamlReader& reader, const YAML::Node& node, const std::string& where) {
  if (!node.IsMap()) {
    reader.problem(node, where + ": expected {acknowledge: …, accept: …, reminders: […]}");
    return std::nullopt;
  }
  reader.only_keys(node, {"acknowledge", "accept", "reminders"}, where);
  DeadlineSpec spec;
  bool ok = true;
  for (const char* key : {"acknowledge", "accept"}) {
    if (!node[key]) {
      reader.problem(node, where + ": missing '" + key + "'");
      ok = false;
      continue;
    }
    auto value = duration(reader, node[key], where + "." + key);
    if (!value || value->count() <= 0) {
      if (value) reader.problem(node[key], where + "." + key + " must be longer than zero");
      ok = false;
      continue;
    }
    (std::string(key) == "acknowledge" ? spec.acknowledge : spec.accept) = *value;
  }
  for (const YAML::Node& item : reader.sequence(node, "reminders", where, false)) {
    auto value = duration(reader, item, where + ".reminders");
    if (!value) continue;
    if (value->count() <= 0 || (ok && (*value >= spec.acknowledge || *value >= spec.accept))) {
      reader.problem(item, where + ": a reminder must come before its deadline (shorter than acknowledge and accept)");
      continue;
    }
    spec.reminders.push_back(*value);
  }
  std::sort(spec.reminders.rbegin(), spec.reminders.rend());
  if (!ok) return std::nullopt;
  return spec;
}

void parse_deadline_classes(config::YamlReader& reader, const YAML::Node& root, SopFile& sop) {
  const YAML::Node classes = root["deadline_classes"];
  if (!classes) return;
  if (!classes.IsMap()) {
    reader.problem(classes, "deadline_classes must map class names to profiles");
    return;
  }
  for (const auto& entry : classes) {
    const std::string name = entry.first.as<std::string>();
    if (!config::is_identifier(name) && name.find('_') == std::string::npos) {
      reader.problem(entry.first, "deadline class '" + name + "': use lower case letters, digits, '-' or '_'");
    }
    if (!entry.second.IsMap()) {
      reader.problem(entry.second, "deadline class '" + name + "' must map profiles to deadlines");
      continue;
    }
    auto& profiles = sop.deadline_classes[name];
    for (const auto& profile : entry.second) {
      const std::string profile_name = profile.first.as<std::string>();
      if (!sop.profiles.empty() && std::find(sop.profiles.begin(), sop.profiles.end(), profile_name) == sop.profiles.end()) {
        reader.problem(profile.first, "deadline class '" + name + "': profile '" + profile_name + "' is not declared in profiles");
      }
      if (auto spec = deadline_spec(reader, profile.second, "deadline class '" + name + "' profile '" + profile_name + "'")) {
        profiles[profile_name] = *spec;
      }
    }
    for (const std::string& declared : sop.profiles) {
      if (!entry.second[declared]) reader.problem(entry.second, "deadline class '" + name + "' has no '" + declared + "' profile");
    }
  }
}

Condition parse_condition(config::YamlReader& reader, const YAML::Node& node, const std::string& where, bool regional) {
  Condition condition;
  if (!node.IsMap() || node.size() == 0) {
    reader.problem(node, where + ": a condition is a map of levels/recommendations/flags/needs/age/consent/jurisdictions/decisions");
    return condition;
  }
  reader.only_keys(node, {"levels", "recommendations", "flags", "needs", "age", "consent", "jurisdictions", "decisions"}, where);
  if (node["levels"]) condition.levels = reader.names(node["levels"], vocabulary::kLevels, "level");
  if (node["recommendations"]) {
    condition.recommendations = reader.names(node["recommendations"], vocabulary::kRecommendations, "recommendation");
  }
  if (node["flags"]) condition.flags = reader.names(node["flags"], kFlagNames, "flag");
  if (node["needs"]) condition.needs = reader.names(node["needs"], vocabulary::kNeedTypes, "need");
  if (node["age"]) condition.age = reader.name(node["age"], kAges, "age").value_or(AgeCondition::any);
  if (node["consent"]) condition.consent = reader.names(node["consent"], vocabulary::kConsentScopes, "consent scope");
  if (node["decisions"]) condition.decisions = reader.names(node["decisions"], kDecisions, "decision");
  if (node["jurisdictions"]) {
    if (!regional) reader.problem(node["jurisdictions"], where + ": an override applies to its own jurisdiction only; drop 'jurisdictions'");
    condition.jurisdictions = reader.names(node["jurisdictions"], vocabulary::kJurisdictions, "jurisdiction");
  }
  return condition;
}

std::optional<ReferralTemplate> parse_referral(config::YamlReader& reader, const YAML::Node& node, const std::string& where) {
  if (!node.IsMap()) {
    reader.problem(node, where + ": a referral is a map of need/service/priority/deadlines/consent/share");
    return std::nullopt;
  }
  reader.only_keys(node, {"need", "service", "priority", "deadlines", "consent", "share"}, where);
  ReferralTemplate referral;
  bool ok = true;
  for (const char* key : {"need", "service", "priority", "deadlines", "consent"}) {
    if (!node[key]) {
      reader.problem(node, where + ": missing '" + key + "'");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  auto need = reader.name(node["need"], vocabulary::kNeedTypes, "need");
  auto service = reader.name(node["service"], vocabulary::kServiceTypes, "service type");
  auto priority = reader.name(node["priority"], vocabulary::kPriorities, "priority");
  auto deadlines = reader.scalar(node, "deadlines", where);
  if (!need || !service || !priority || !deadlines) return std::nullopt;
  referral.need = *need;
  referral.service = *service;
  referral.priority = *priority;
  referral.deadline_class = *deadlines;
  if (!(node["consent"].IsScalar() && node["consent"].Scalar() == "none")) {
    auto scope = reader.name(node["consent"], vocabulary::kConsentScopes, "consent scope (or none)");
    if (!scope) return std::nullopt;
    referral.consent = *scope;
  }
  if (node["share"]) referral.share = reader.names(node["share"], vocabulary::kDataCategories, "data category");
  return referral;
}

// The safety rules a single rule can break on its own (REFERENCE section 0).
void check_safety(config::YamlReader& reader, const YAML::Node& node, const SopRule& rule) {
  const std::string where = "rule '" + rule.id + "'";
  bool conditioned_on_police = false;
  for (const Condition& condition : rule.when) {
    conditioned_on_police |= std::count(condition.consent.begin(), condition.consent.end(), common::CONSENT_SCOPE_POLICE) > 0 ||
                             std::count(condition.needs.begin(), condition.needs.end(), common::NEED_TYPE_LAW_ENFORCEMENT_CONTACT) > 0;
  }
  for (const ReferralTemplate& referral : rule.refer) {
    const std::string service = vocabulary::service_type_name(referral.service);
    if (referral.service == v1::SERVICE_TYPE_POLICE_ANTI_TRAFFICKING && referral.consent != common::CONSENT_SCOPE_POLICE) {
      reader.problem(node, where + ": police_anti_trafficking needs consent: police (non-punishment; the engine also "
                                   "allows a recorded risk-to-life or child protection exception, never a flag)");
    }
    if (conditioned_on_police && referral.service != v1::SERVICE_TYPE_POLICE_ANTI_TRAFFICKING) {
      reader.problem(node, where + ": refers to " + service + " only when the person cooperates with police; assistance "
                                   "is never conditional on cooperating with police");
    }
    const bool never_waits = referral.service == v1::SERVICE_TYPE_EMERGENCY_MEDICAL_CARE ||
                             referral.service == v1::SERVICE_TYPE_CHILD_PROTECTION ||
                             referral.service == v1::SERVICE_TYPE_GUARDIANSHIP;
    if (never_waits && referral.consent) {
      reader.problem(node, where + ": " + service + " never waits for consent; use consent: none");
    }
  }
}

void parse_rules(config::YamlReader& reader, const YAML::Node& root, SopFile& sop) {
  std::set<std::string> ids;
  const bool regional = sop.applies_to == common::JURISDICTION_UNSPECIFIED;
  for (const YAML::Node& node : reader.sequence(root, "rules", "sop", true)) {
    if (!node.IsMap()) {
      reader.problem(node, "a rule must be a map");
      continue;
    }
    SopRule rule;
    rule.line = config::YamlReader::line(node);
    reader.only_keys(node, {"id", "version", "title", "source", "when", "refer"}, "rule");
    rule.id = reader.scalar(node, "id", "rule").value_or("");
    const std::string where = "rule '" + rule.id + "'";
    if (!rule.id.empty() && !config::is_identifier(rule.id)) reader.problem(node["id"], where + ": id must match [a-z0-9][a-z0-9-]+");
    if (!rule.id.empty() && !ids.insert(rule.id).second) reader.problem(node["id"], where + ": duplicate rule id");
    if (node["version"]) {
      auto version = reader.count(node["version"], where + ": version", 1000000);
      if (version && *version == 0) reader.problem(node["version"], where + ": version starts at 1");
      rule.version = version.value_or(0);
    } else {
      reader.problem(node, where + ": missing 'version'");
    }
    rule.title = reader.scalar(node, "title", where, false).value_or("");
    rule.source = reader.scalar(node, "source", where, false).value_or("");
    const YAML::Node when = node["when"];
    if (!when) {
      reader.problem(node, where + ": missing 'when' (a rule without conditions would never apply)");
    } else if (when.IsMap()) {
      rule.when.push_back(parse_condition(reader, when, where, regional));
    } else if (when.IsSequence() && when.size() > 0) {
      for (const auto& alternative : when) rule.when.push_back(parse_condition(reader, alternative, where, regional));
    } else {
      reader.problem(when, where + ": 'when' must be a condition or a non-empty list of them");
    }
    for (const YAML::Node& item : reader.sequence(node, "refer", where, true)) {
      if (auto referral = parse_referral(reader, item, where)) {
        if (!sop.deadline_classes.empty() && !sop.deadline_classes.count(referral->deadline_class) && regional) {
          reader.problem(item["deadlines"], where + ": unknown deadline class '" + referral->deadline_class + "'");
        }
        rule.refer.push_back(*referral);
      }
    }
    if (node["refer"] && node["refer"].IsSequence() && node["refer"].size() == 0) reader.problem(node["refer"], where + ": refers to nothing");
    check_safety(reader, node, rule);
    sop.rules.push_back(std::move(rule));
  }
}

}  // namespace

SopError::SopError(std::vector<std::string> problems)
    : std::runtime_error([&] {
        std::string text;
        for (const auto& problem : problems) text += (text.empty() ? "" : "\n") + problem;
        return text;
      }()),
      problems_(std::move(problems)) {}

SopFile parse_sop(std::string_view yaml, const std::string& source_name) {
  config::YamlReader reader(source_name);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    throw SopError({source_name + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg});
  }
  if (!root.IsMap()) throw SopError({source_name + ":1: an SOP file is a map (sop, version, applies_to, rules …)"});
  reader.only_keys(root, {"sop", "version", "title", "source", "applies_to", "overrides", "disable", "profiles",
                          "reflection_period_days", "deadline_classes", "escalation", "rules"},
                   "sop");
  SopFile sop;
  sop.file = source_name;
  sop.id = reader.scalar(root, "sop", "sop").value_or("");
  if (!sop.id.empty() && !config::is_identifier(sop.id)) reader.problem(root["sop"], "sop: id must match [a-z0-9][a-z0-9-]+");
  sop.version = reader.scalar(root, "version", "sop").value_or("");
  sop.title = reader.scalar(root, "title", "sop", false).value_or("");
  sop.source = reader.scalar(root, "source", "sop", false).value_or("");
  if (auto applies_to = reader.scalar(root, "applies_to", "sop")) {
    if (*applies_to != "regional") {
      sop.applies_to = reader.name(root["applies_to"], vocabulary::kJurisdictions, "jurisdiction (or regional)")
                           .value_or(common::JURISDICTION_UNSPECIFIED);
      if (sop.applies_to == common::JURISDICTION_UNSPECIFIED) sop.applies_to = common::JURISDICTION_OTHER;  // reported
    }
  }
  const bool regional = sop.applies_to == common::JURISDICTION_UNSPECIFIED;
  if (regional) {
    for (const char* key : {"overrides", "disable"}) {
      if (root[key]) reader.problem(root[key], std::string("sop: '") + key + "' belongs in a jurisdiction's override file");
    }
    for (const YAML::Node& profile : reader.sequence(root, "profiles", "sop", true)) {
      if (profile.IsScalar() && config::is_identifier(profile.Scalar())) {
        sop.profiles.push_back(profile.Scalar());
      } else {
        reader.problem(profile, "sop: a profile name must match [a-z0-9][a-z0-9-]+");
      }
    }
    if (!root["deadline_classes"]) reader.problem(root, "sop: missing 'deadline_classes'");
    if (!root["escalation"]) reader.problem(root, "sop: missing 'escalation' (deadlines of escalations)");
  } else {
    if (root["profiles"]) reader.problem(root["profiles"], "sop: profiles are declared by the regional SOP only");
    if (root["escalation"]) reader.problem(root["escalation"], "sop: escalation deadlines are set by the regional SOP only");
    sop.overrides = reader.scalar(root, "overrides", "sop").value_or("");
    if (root["overrides"]) sop.overrides_line = config::YamlReader::line(root["overrides"]);
    if (root["disable"]) {
      sop.disable_line = config::YamlReader::line(root["disable"]);
      for (const YAML::Node& id : reader.sequence(root, "disable", "sop", false)) {
        if (id.IsScalar()) sop.disable.push_back(id.Scalar());
        else reader.problem(id, "sop: disable lists rule ids");
      }
    }
  }
  if (root["reflection_period_days"]) {
    auto days = reader.count(root["reflection_period_days"], "reflection_period_days", 3650);
    if (days && *days < 30) reader.problem(root["reflection_period_days"], "reflection_period_days: at least 30 (CoE Convention art. 13)");
    sop.reflection_period_days = days;
  }
  parse_deadline_classes(reader, root, sop);
  if (regional && root["escalation"]) {
    reader.only_keys(root["escalation"], {"deadlines"}, "escalation");
    sop.escalation_class = reader.scalar(root["escalation"], "deadlines", "escalation").value_or("");
    if (!sop.escalation_class.empty() && !sop.deadline_classes.count(sop.escalation_class)) {
      reader.problem(root["escalation"], "escalation: unknown deadline class '" + sop.escalation_class + "'");
    }
  }
  parse_rules(reader, root, sop);
  if (!reader.ok()) throw SopError(std::move(reader.problems()));
  return sop;
}

std::vector<SopFile> load_sop_dir(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> paths;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.path().extension() == ".yaml") paths.push_back(entry.path());
  }
  if (error) throw SopError({directory.string() + ": cannot read the SOP folder: " + error.message()});
  std::sort(paths.begin(), paths.end());
  std::vector<SopFile> files;
  std::vector<std::string> problems;
  for (const auto& path : paths) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    try {
      files.push_back(parse_sop(text.str(), path.string()));
    } catch (const SopError& e) {
      problems.insert(problems.end(), e.problems().begin(), e.problems().end());
    }
  }
  if (paths.empty()) problems.push_back(directory.string() + ": no SOP files (*.yaml)");
  if (!problems.empty()) throw SopError(std::move(problems));
  return files;
}

}  // namespace pact::routing
