// Note: some tests set environment variables (configuration) for the in-process CLI; run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
