// Test classes run in parallel; a class that touches process-wide state (Keras name counters,
// Console output) opts out with [DoNotParallelize].
[assembly: Parallelize(Scope = ExecutionScope.ClassLevel, Workers = 0)]
