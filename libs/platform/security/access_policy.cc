#include "security/access_policy.h"

#include <google/protobuf/descriptor.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "security/certificate_authorities.h"

namespace pact::security {
namespace {

std::vector<std::string> string_list(const YAML::Node& node, const std::string& where,
                                     std::vector<std::string>& problems) {
  std::vector<std::string> items;
  if (!node) return items;
  if (!node.IsSequence()) {
    problems.push_back(where + ": must be a list");
    return items;
  }
  for (const auto& item : node) {
    if (!item.IsScalar() || item.Scalar().empty()) {
      problems.push_back(where + ": entries must be non-empty names");
      continue;
    }
    items.push_back(item.Scalar());
  }
  return items;
}

}  // namespace

AccessPolicy AccessPolicy::from_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read the access policy " + file.string());
  std::stringstream content;
  content << in.rdbuf();
  return from_yaml(content.str(), file.string());
}

AccessPolicy AccessPolicy::from_yaml(std::string_view yaml, const std::string& source_name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(source_name + ": not YAML: " + e.what());
  }
  std::vector<std::string> problems;
  AccessPolicy policy;
  if (!root.IsMap()) problems.push_back("the policy must be a map with services and methods");
  for (const auto& top : root.IsMap() ? root : YAML::Node()) {
    const std::string key = top.first.Scalar();
    if (key != "services" && key != "methods") problems.push_back(key + ": unknown section (services, methods)");
  }
  if (root.IsMap() && root["services"]) {
    if (!root["services"].IsMap()) problems.push_back("services: must map certificate names to identities");
    for (const auto& entry : root["services"].IsMap() ? root["services"] : YAML::Node()) {
      const std::string name = entry.first.Scalar();
      const std::string where = "services." + name;
      const YAML::Node& body = entry.second;
      if (!body.IsMap()) {
        problems.push_back(where + ": must be a map (subject, organisation, roles, jurisdictions)");
        continue;
      }
      for (const auto& field : body) {
        const std::string field_name = field.first.Scalar();
        if (field_name != "subject" && field_name != "organisation" && field_name != "roles" &&
            field_name != "jurisdictions" && field_name != "peer_ca") {
          problems.push_back(where + "." + field_name + ": unknown key");
        }
      }
      rpc::Caller caller;
      caller.kind = rpc::CallerKind::service;
      caller.subject = body["subject"] ? body["subject"].Scalar() : "service:" + name;
      caller.organisation = body["organisation"] ? body["organisation"].Scalar() : "";
      caller.roles = string_list(body["roles"], where + ".roles", problems);
      caller.jurisdictions = string_list(body["jurisdictions"], where + ".jurisdictions", problems);
      if (caller.organisation.empty()) problems.push_back(where + ".organisation: is required");
      if (caller.roles.empty()) problems.push_back(where + ".roles: at least one role");
      if (body["peer_ca"]) {
        const std::string fingerprint = normalized_fingerprint(body["peer_ca"].Scalar());
        if (fingerprint.size() != 64) {
          problems.push_back(where + ".peer_ca: must be the SHA-256 fingerprint of the peer hub's CA certificate "
                             "(openssl x509 -noout -fingerprint -sha256 -in ca.crt)");
        }
        policy.peer_cas_.emplace(name, fingerprint);
      }
      policy.services_.emplace(name, std::move(caller));
    }
  }
  if (!root.IsMap() || !root["methods"] || !root["methods"].IsMap()) {
    problems.push_back("methods: must map full method names (package.Service/Method) to roles");
  } else {
    for (const auto& entry : root["methods"]) {
      const std::string method = entry.first.Scalar();
      const std::size_t slash = method.find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == method.size()) {
        problems.push_back("methods." + method + ": must be package.Service/Method");
        continue;
      }
      auto roles = string_list(entry.second, "methods." + method, problems);
      policy.methods_.emplace(method, std::set<std::string>(roles.begin(), roles.end()));
    }
  }
  if (!problems.empty()) {
    std::string message = source_name + ": the access policy is invalid:";
    for (const auto& problem : problems) message += "\n  " + problem;
    throw std::runtime_error(message);
  }
  return policy;
}

std::optional<rpc::Caller> AccessPolicy::service_for_certificate(const std::string& common_name,
                                                                 const std::optional<std::string>& peer_ca) const {
  auto found = services_.find(common_name);
  if (found == services_.end()) return std::nullopt;
  auto pinned = peer_cas_.find(common_name);
  const bool pinned_to_peer = pinned != peer_cas_.end();
  if (pinned_to_peer != peer_ca.has_value()) return std::nullopt;
  if (pinned_to_peer && pinned->second != *peer_ca) return std::nullopt;
  return found->second;
}

bool AccessPolicy::allows(std::string_view full_method, const rpc::Caller& caller) const {
  auto found = methods_.find(full_method);
  if (found == methods_.end()) return false;
  for (const auto& role : caller.roles) {
    if (found->second.count(role) > 0) return true;
  }
  return false;
}

std::vector<std::string> AccessPolicy::unlisted_methods(const std::vector<std::string>& service_names) const {
  std::vector<std::string> unlisted;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& service_name : service_names) {
    const auto* service = pool->FindServiceByName(service_name);
    if (service == nullptr) continue;  // health, reflection: not ours, never behind the gate
    for (int i = 0; i < service->method_count(); ++i) {
      std::string method = service_name + "/" + service->method(i)->name();
      if (methods_.find(method) == methods_.end()) unlisted.push_back(std::move(method));
    }
  }
  return unlisted;
}

}  // namespace pact::security
