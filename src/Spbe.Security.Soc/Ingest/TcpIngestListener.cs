using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Spbe.Security.Soc.Ingest;

/// <summary>
/// Accepts TCP connections for one protocol (syslog, syslog over TLS, RELP) and runs each on its own task, so a slow
/// or silent sender holds only its own connection. A source may hold <see cref="SocOptions.MaxConnectionsPerSource"/>
/// connections; more are closed at once and counted. A connection silent for <see cref="SocOptions.IdleTimeoutSeconds"/>
/// is closed (that is how half-open connections end).
/// </summary>
internal abstract class TcpIngestListener : IDisposable
{
    private readonly TcpListener _listener;
    private readonly ConnectionLimiter _limiter;
    private readonly ISyslogTlsCredentials? _tls;

    protected TcpIngestListener(IngestContext context, IPEndPoint endpoint, ISyslogTlsCredentials? tls)
    {
        Context = context;
        _tls = tls;
        _limiter = new ConnectionLimiter(context.Options.MaxConnectionsPerSource);
        _listener = new TcpListener(endpoint);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start(backlog: 512);
    }

    public IPEndPoint LocalEndpoint => (IPEndPoint)_listener.LocalEndpoint;

    protected IngestContext Context { get; }

    /// <summary>Whether connections are wrapped in TLS.</summary>
    protected bool IsTls => _tls is not null;

    protected abstract IngestTransport Transport { get; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var connections = new HashSet<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException)
            {
                continue;
            }

            var task = ServeAsync(socket, cancellationToken);
            lock (connections)
            {
                connections.Add(task);
            }

            _ = task.ContinueWith(t =>
            {
                lock (connections)
                {
                    connections.Remove(t);
                }
            }, TaskScheduler.Default);
        }

        Task[] open;
        lock (connections)
        {
            open = [.. connections];
        }

        await Task.WhenAll(open);
    }

    public void Dispose() => _listener.Stop();

    /// <summary>Reads the connection until it ends; <paramref name="stream"/> is plain or TLS.</summary>
    protected abstract Task ServeAsync(Stream stream, IPAddress peer, SourceIdentity source, IngestFlags sourceFlags, CancellationToken cancellationToken);

    /// <summary>Reads into <paramref name="buffer"/>, giving up after the idle timeout; 0 at the end of the stream.</summary>
    protected async Task<int> ReadAsync(Stream stream, Memory<byte> buffer, CancellationTokenSource idle)
    {
        idle.CancelAfter(TimeSpan.FromSeconds(Context.Options.IdleTimeoutSeconds));
        return await stream.ReadAsync(buffer, idle.Token);
    }

    private async Task ServeAsync(Socket socket, CancellationToken stopping)
    {
        await Task.Yield();
        var peer = IngestContext.Canonical(((IPEndPoint)socket.RemoteEndPoint!).Address);
        var transport = Transport.ToString().ToUpperInvariant();
        if (!_limiter.TryEnter(peer))
        {
            var (refused, _) = Context.Attribute(peer);
            Context.Metrics.Dropped("connection_limit");
            Log.ConnectionLimit(Context.Logger, transport, peer.ToString(), refused.Name, _limiter.PerSource);
            socket.Dispose();
            return;
        }

        var reason = "closed by the sender";
        try
        {
            socket.NoDelay = true;
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            var (source, flags) = Context.Attribute(peer);
            if (_tls is not null)
            {
                (stream, source, flags) = await AuthenticateAsync(stream, peer, source, flags, stopping);
            }

            await using (stream)
            {
                await ServeAsync(stream, peer, source, flags, stopping);
            }
        }
        catch (OperationCanceledException)
        {
            reason = stopping.IsCancellationRequested ? "the host is stopping" : "idle timeout";
        }
        catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or InvalidOperationException)
        {
            reason = ex.Message;
        }
        finally
        {
            socket.Dispose();
            _limiter.Exit(peer);
            Log.ConnectionEnded(Context.Logger, transport, peer.ToString(), reason);
        }
    }

    private async Task<(Stream Stream, SourceIdentity Source, IngestFlags Flags)> AuthenticateAsync(
        Stream stream, IPAddress peer, SourceIdentity source, IngestFlags flags, CancellationToken stopping)
    {
        var certificate = _tls!.ServerCertificate() ?? throw new InvalidOperationException("no TLS server certificate");
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        X509Certificate2? client = null;
        var untrusted = false;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(TimeSpan.FromSeconds(Context.Options.TlsHandshakeTimeoutSeconds));
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                // Note: the certificate is asked for, not required: senders without one are attributed by address.
                ClientCertificateRequired = true,
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                {
                    if (presented is null)
                    {
                        return true;
                    }

                    client = presented as X509Certificate2 ?? new X509Certificate2(presented);
                    untrusted = !_tls.IsTrustedClient(client);

                    // Note: a certificate that is presented must be ours: a forged or foreign one ends the handshake.
                    return !untrusted;
                },
            }, timeout.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException && !stopping.IsCancellationRequested)
        {
            Context.Metrics.Dropped(untrusted ? "untrusted_client_certificate" : "tls_handshake");
            Log.TlsHandshakeFailed(Context.Logger, peer.ToString(), untrusted ? "client certificate not issued by our CA" : ex.Message);
            await ssl.DisposeAsync();
            throw new AuthenticationException("TLS handshake failed", ex);
        }

        if (client is not null && Context.Sources.ForCertificate(client) is { } bound)
        {
            return (ssl, bound, IngestFlags.None);
        }

        return (ssl, source, flags);
    }
}
