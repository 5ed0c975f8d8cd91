using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Signing.Naskah;
using Spbe.Security.Testing;

namespace Spbe.Security.Pki.Signing;

/// <summary>The naskah dinas workflow: paraf in order, the pejabat's signature last, sealed, every signature still valid.</summary>
[Trait("Category", "Database")]
public sealed class NaskahWorkflowTests
{
    private const string Drafter = "199901012022011001";
    private const string FirstReviewer = "198001012005011001";
    private const string SecondReviewer = "198202022006021002";
    private const string Pejabat = PkiTestCa.Nip;

    private static string PassphraseOf(string nip) => "frasa-sandi-" + nip;

    private static async Task<(PkiTestCa Ca, NaskahWorkflow Workflow)> CityAsync(FakeTimeProvider? clock = null, params KeyValuePair<string, string?>[] settings)
    {
        var ca = await PkiTestCa.CreateAsync(clock, settings);
        var registration = ca.Host.Services.GetRequiredService<RegistrationAuthority>();
        foreach (var (nip, name, jabatan) in new[] { (FirstReviewer, "Siti Aminah", "Kepala Seksi"), (SecondReviewer, "Joko Susilo", "Kepala Bidang"), (Pejabat, "Budi Santoso", "Kepala Dinas") })
        {
            var requested = await registration.RequestAsync("pejabat-signing", new SubjectInfo(name, nip, "DISKOMINFO", jabatan), null, PassphraseOf(nip), nip);
            Assert.True(requested.Success, requested.Error);
            Assert.True((await registration.ApproveAsync(requested.Value!.Id, "petugas-pki")).Success);
        }

        return (ca, ca.Host.Services.GetRequiredService<NaskahWorkflow>());
    }

    private static async Task<NaskahInfo> StartAsync(NaskahWorkflow workflow, string? anchor = "#ttd#")
    {
        var created = await workflow.CreateAsync(new NaskahDraft("Undangan rapat koordinasi SPBE", Drafter, "DISKOMINFO",
            await File.ReadAllBytesAsync(SigningKit.Corpus("lo-surat-undangan.pdf")), [FirstReviewer, SecondReviewer], Pejabat, anchor));
        Assert.True(created.Success, created.Error);
        return created.Value!;
    }

    [SharedDataFact]
    public async Task Paraf_in_order_then_the_pejabat_seals_and_every_signature_passes_ours_and_the_oracles()
    {
        var (ca, workflow) = await CityAsync();
        await using var _ = ca;
        var naskah = await StartAsync(workflow);
        Assert.Equal((NaskahState.InReview, FirstReviewer), (naskah.State, naskah.Current!.Nip));

        var early = await workflow.SignAsync(naskah.Id, Pejabat, PassphraseOf(Pejabat));
        var second = await workflow.SignAsync(naskah.Id, SecondReviewer, PassphraseOf(SecondReviewer));
        Assert.Equal(SigningErrors.NotYourTurn, early.ErrorCode);
        Assert.Equal(SigningErrors.NotYourTurn, second.ErrorCode);

        foreach (var nip in new[] { FirstReviewer, SecondReviewer, Pejabat })
        {
            var step = await workflow.SignAsync(naskah.Id, nip, PassphraseOf(nip));
            Assert.True(step.Success, step.Error);
        }

        var sealedNaskah = (await workflow.FindAsync(naskah.Id, Drafter))!;
        Assert.Equal(NaskahState.Sealed, sealedNaskah.State);
        Assert.All(sealedNaskah.Steps, s => Assert.Equal(NaskahStepState.Done, s.State));
        Assert.Equal(SigningErrors.NotYourTurn, (await workflow.SignAsync(naskah.Id, Pejabat, PassphraseOf(Pejabat))).ErrorCode);

        var pdf = (await workflow.ContentAsync(naskah.Id, Drafter)).Value!;
        var original = await File.ReadAllBytesAsync(SigningKit.Corpus("lo-surat-undangan.pdf"));
        Assert.True(pdf.AsSpan(0, original.Length).SequenceEqual(original), "the original bytes must stay as they were");
        var report = await ca.Host.Services.GetRequiredService<DocumentVerifier>().VerifyPdfAsync(pdf);
        Assert.Equal(Indications.Passed, report.Indication);
        var signatures = report.Signatures.Where(s => s.Kind == "signature").ToList();
        Assert.Equal([FirstReviewer, SecondReviewer, Pejabat], signatures.Select(s => s.Signer!.Nip));
        Assert.All(report.Signatures, s => Assert.Equal(Indications.Passed, s.Indication));
        Assert.Equal("B-LTA", signatures[^1].Level);
        Assert.Equal(sealedNaskah.Steps[^1].SignatureId, (await ca.Host.Services.GetRequiredService<SigningRecords>().FindDocumentAsync(sealedNaskah.Steps[^1].SignatureId!.Value))!.DocumentId);

        var path = Path.Combine(ca.Work, "naskah.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        var oracle = await SigningKit.JudgeAsync(ca, path, "--require", "B-LT");
        Assert.True(oracle.ExitCode == 0, oracle.Output);
    }

    [SharedDataFact]
    public async Task A_wrong_passphrase_leaves_the_workflow_where_it_was_and_outsiders_see_nothing()
    {
        var (ca, workflow) = await CityAsync();
        await using var _ = ca;
        var naskah = await StartAsync(workflow);

        var wrong = await workflow.SignAsync(naskah.Id, FirstReviewer, "bukan-frasa-sandinya-2026");
        var stranger = await workflow.SignAsync(naskah.Id, "197001011990011001", "apa-saja-2026-panjang");

        Assert.Equal(PkiErrors.WrongPassphrase, wrong.ErrorCode);
        Assert.Equal(SigningErrors.NaskahNotFound, stranger.ErrorCode);
        Assert.Equal(SigningErrors.NaskahNotFound, (await workflow.ContentAsync(naskah.Id, "197001011990011001")).ErrorCode);
        Assert.Null(await workflow.FindAsync(naskah.Id, "197001011990011001"));
        var unchanged = (await workflow.FindAsync(naskah.Id, FirstReviewer))!;
        Assert.Equal((NaskahState.InReview, naskah.OriginalSha256, FirstReviewer), (unchanged.State, unchanged.Sha256, unchanged.Current!.Nip));
        Assert.Single(await workflow.ListForAsync(SecondReviewer));
        Assert.Empty(await workflow.ListForAsync("197001011990011001"));
    }

    [SharedDataFact]
    public async Task A_reviewer_returns_the_draft_with_a_reason_and_the_workflow_ends()
    {
        var (ca, workflow) = await CityAsync();
        await using var _ = ca;
        var naskah = await StartAsync(workflow);
        Assert.True((await workflow.SignAsync(naskah.Id, FirstReviewer, PassphraseOf(FirstReviewer))).Success);

        var returned = await workflow.ReturnAsync(naskah.Id, SecondReviewer, "Tanggal rapat keliru.");

        Assert.True(returned.Success, returned.Error);
        Assert.Equal(NaskahState.Returned, returned.Value!.State);
        Assert.Equal((NaskahStepState.Returned, "Tanggal rapat keliru."), (returned.Value.Steps[1].State, returned.Value.Steps[1].Note));
        Assert.Null(returned.Value.Current);
        Assert.Equal(SigningErrors.NotYourTurn, (await workflow.SignAsync(naskah.Id, Pejabat, PassphraseOf(Pejabat))).ErrorCode);
    }

    [SharedDataFact]
    public async Task A_sealed_naskah_is_held_for_the_download_window_then_only_its_hashes_remain()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var (ca, workflow) = await CityAsync(clock);
        await using var _ = ca;
        var created = await workflow.CreateAsync(new NaskahDraft("Nota dinas", Drafter, "DISKOMINFO", await File.ReadAllBytesAsync(SigningKit.Corpus("lo-nota-dinas.pdf")),
            [], Pejabat, null));
        Assert.True(created.Success, created.Error);
        Assert.Equal(NaskahState.AwaitingSignature, created.Value!.State);
        Assert.True((await workflow.SignAsync(created.Value.Id, Pejabat, PassphraseOf(Pejabat))).Success);

        clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(0, await workflow.PurgeAsync());
        Assert.True((await workflow.ContentAsync(created.Value.Id, Drafter)).Success);
        clock.Advance(TimeSpan.FromDays(2));
        var afterWindow = await workflow.ContentAsync(created.Value.Id, Drafter);
        Assert.Equal(1, await workflow.PurgeAsync());

        Assert.Equal(SigningErrors.ContentPurged, afterWindow.ErrorCode);
        var kept = (await workflow.FindAsync(created.Value.Id, Drafter))!;
        Assert.False(kept.ContentHeld);
        Assert.Equal(64, kept.Sha256.Length);
        Assert.NotEqual(kept.OriginalSha256, kept.Sha256);
    }

    [SharedDataTheory]
    [InlineData("", "a title")]
    [InlineData("Judul", "18-digit")]
    [InlineData("Judul", "one step")]
    [InlineData("Judul", "no valid signing certificate")]
    public async Task A_workflow_that_cannot_complete_is_refused_at_upload(string title, string reason)
    {
        var (ca, workflow) = await CityAsync();
        await using var _ = ca;
        string[] reviewers = reason switch
        {
            "18-digit" => ["12345"],
            "one step" => [FirstReviewer, FirstReviewer],
            "no valid signing certificate" => ["197001011990011001"],
            _ => [FirstReviewer],
        };

        var refused = await workflow.CreateAsync(new NaskahDraft(title, Drafter, "DISKOMINFO", await File.ReadAllBytesAsync(SigningKit.Corpus("lo-nota-dinas.pdf")),
            reviewers, Pejabat, null));

        Assert.False(refused.Success);
        Assert.Contains(reason, refused.Error, StringComparison.Ordinal);
        Assert.Empty(await workflow.ListForAsync(Drafter));
    }

    [Fact]
    public async Task A_file_that_is_not_a_PDF_is_refused_at_upload()
    {
        var (ca, workflow) = await CityAsync();
        await using var _ = ca;

        var refused = await workflow.CreateAsync(new NaskahDraft("Judul", Drafter, "DISKOMINFO", "bukan PDF sama sekali"u8.ToArray(), [], Pejabat, null));

        Assert.Equal(SigningErrors.DocumentUnreadable, refused.ErrorCode);
    }
}
