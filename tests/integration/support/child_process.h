#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace pact::testing {

// A program started by a test, with its output in a log file. The destructor kills what is left.
class ChildProcess {
 public:
  ChildProcess(const std::string& program, const std::vector<std::string>& arguments, const std::string& log_path,
               const std::vector<std::string>& extra_environment = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int signal_number) const;
  // The exit code (or 128 + signal) once it ends, nullopt if still running after `limit`.
  std::optional<int> wait(std::chrono::milliseconds limit);
  const std::string& log_path() const { return log_path_; }
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::string log_path_;
  std::optional<int> exit_code_;
};

}  // namespace pact::testing
