#include "phrasebook.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "catalogue_loader.h"

namespace pact::screening {

const std::initializer_list<std::string_view>& Phrasebook::required_ids() {
  static const std::initializer_list<std::string_view> kIds = {
      "level.no_indicators_observed", "level.indications_present", "level.combination_met",
      "level.not_an_identification", "child.treated_as_child", "child.basis.reported_flag",
      "child.basis.age_under_18", "child.basis.age_band", "child.basis.presumed_minor",
      "child.basis.estimate_includes_minor", "child.basis.reported_unaccompanied", "dimension.1", "dimension.2", "dimension.3", "dimension.4",
      "dimension.5", "dimension.6", "dimension.positive", "dimension.not_positive", "combination.met.adult",
      "combination.met.child", "combination.not_met", "combination.no_ilo_indicators", "flags.derived",
      "flag.presumed_child", "flag.unaccompanied_or_separated", "flag.urgent_medical", "flag.immediate_danger",
      "flag.language_barrier", "safety_rule", "recommendation.urgent_medical_care",
      "recommendation.immediate_safety", "recommendation.child_protection",
      "recommendation.child_protection_and_guardian", "recommendation.formal_identification",
      "recommendation.assistance.strong_indicator", "recommendation.assistance.danger",
      "recommendation.assistance.catalogue", "recommendation.interpretation", "recommendation.inform",
      "unknown_indicators", "catalogues_used"};
  return kIds;
}

Phrasebook Phrasebook::parse(std::string_view yaml, const std::string& source_name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    throw CatalogueError({source_name + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg});
  }
  std::vector<std::string> problems;
  Phrasebook book;
  YAML::Node messages = root["messages"];
  if (!messages || !messages.IsMap()) throw CatalogueError({source_name + ":1: missing 'messages' map"});
  for (const auto& entry : messages) {
    const std::string id = entry.first.as<std::string>();
    const std::string where = source_name + ":" + std::to_string(entry.first.Mark().line + 1) + ": ";
    if (!entry.second.IsMap()) {
      problems.push_back(where + id + ": must map languages to texts");
      continue;
    }
    LocalisedText text;
    for (const auto& translation : entry.second) {
      if (!translation.second.IsScalar() || translation.second.Scalar().empty()) {
        problems.push_back(where + id + "." + translation.first.as<std::string>() + ": must be a non-empty text");
        continue;
      }
      book.languages_[translation.first.as<std::string>()] = true;
      text.set(translation.first.as<std::string>(), translation.second.Scalar());
    }
    if (!text.has("en")) problems.push_back(where + id + ": no English ('en') text");
    book.messages_.emplace(id, std::move(text));
  }
  for (std::string_view id : required_ids()) {
    if (!book.messages_.contains(id)) {
      problems.push_back(source_name + ":" + std::to_string(messages.Mark().line + 1) + ": message '" +
                         std::string(id) + "' is missing");
    }
  }
  if (!problems.empty()) throw CatalogueError(std::move(problems));
  return book;
}

Phrasebook Phrasebook::load(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw CatalogueError({path.string() + ":1: cannot read the file"});
  std::stringstream content;
  content << in.rdbuf();
  return parse(content.str(), path.string());
}

std::string Phrasebook::render(std::string_view id, std::string_view language, Values values) const {
  auto found = messages_.find(id);
  if (found == messages_.end()) throw std::logic_error("screening message '" + std::string(id) + "' is not loaded");
  const std::string& pattern = found->second.in(language);
  std::string out;
  out.reserve(pattern.size() + 64);
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '{') {
      std::size_t close = pattern.find('}', i);
      if (close != std::string::npos) {
        std::string_view name(pattern.data() + i + 1, close - i - 1);
        bool replaced = false;
        for (const auto& [key, value] : values) {
          if (key == name) {
            out += value;
            replaced = true;
            break;
          }
        }
        if (replaced) {
          i = close + 1;
          continue;
        }
      }
    }
    out += pattern[i++];
  }
  return out;
}

bool Phrasebook::speaks(std::string_view language) const {
  return languages_.contains(language) || languages_.contains(primary_language(language));
}

}  // namespace pact::screening
