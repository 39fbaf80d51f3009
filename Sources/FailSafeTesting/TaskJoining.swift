/// Awaiting an unstructured task's result so that cancelling the awaiting test also cancels
/// the task, for the package's own tests.
///
/// `Task.value` does not pass cancellation on: when a time limit cancels a test that awaits a
/// task asleep on a ``ManualClock`` nobody will advance again, the test would never end and the
/// whole run would hang behind it. These accessors cancel the awaited task with the caller.
extension Task where Failure == any Error {
  /// The task's result; the task is cancelled if the awaiting task is.
  package var valueCancellingWithCaller: Success {
    get async throws {
      try await withTaskCancellationHandler {
        try await value
      } onCancel: {
        cancel()
      }
    }
  }
}

extension Task where Failure == Never {
  /// The task's result; the task is cancelled if the awaiting task is.
  package var valueCancellingWithCaller: Success {
    get async {
      await withTaskCancellationHandler {
        await value
      } onCancel: {
        cancel()
      }
    }
  }
}
