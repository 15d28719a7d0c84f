# Registers an integration test binary twice: against the real Kafka broker the test scripts start,
# and against librdkafka's mock cluster (PACT_TEST_KAFKA_BOOTSTRAP=embedded), with the same labels
# and time limit everywhere.
function(pact_integration_test target)
  add_test(NAME ${target}_real_kafka COMMAND ${target})
  set_tests_properties(${target}_real_kafka PROPERTIES LABELS "integration;real-kafka" TIMEOUT 900)
  add_test(NAME ${target}_embedded_kafka COMMAND ${target})
  set_tests_properties(${target}_embedded_kafka PROPERTIES LABELS "integration;embedded-kafka"
    TIMEOUT 900 ENVIRONMENT "PACT_TEST_KAFKA_BOOTSTRAP=embedded")
endfunction()
