namespace Spbe.Security.Pki.Revocation;

/// <summary>
/// Tells the OCSP responder, in this process, that a certificate's status changed: raised right after the change is
/// committed, before CRLs are published (which may fail or come later). Other processes' changes are seen through the
/// ledger's head, which every status change moves in its own transaction.
/// </summary>
internal sealed class StatusSignal
{
    public event EventHandler? Changed;

    public void Raise() => Changed?.Invoke(this, EventArgs.Empty);
}
