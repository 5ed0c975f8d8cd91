using Spbe.Security.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await SpbeCli.RunAsync(args, Console.Out, Console.Error, interactive: !Console.IsErrorRedirected, Console.In, cancellation.Token);
