using Microsoft.Playwright;
using Spbe.Security.Testing;

namespace Spbe.Security.Host;

/// <summary>
/// Headless Chromium from Debian's package, driven by Playwright, and the waits that hold on a loaded two-core machine.
/// Navigations wait for the new document to commit and then for its body in the DOM, never for a lifecycle event:
/// Chromium has been seen to report neither <c>load</c> nor DOMContentLoaded for a page that had arrived (Playwright
/// logged network idle). Element waits poll the document itself.
/// </summary>
internal static class BrowserPages
{
    public const string Chromium = "/usr/bin/chromium";

    private static readonly PageGotoOptions Document = new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 };

    /// <summary>Starts Chromium, or returns null (outside CI only) when it is not installed.</summary>
    public static async Task<(IPlaywright? Playwright, IBrowser? Browser)> LaunchAsync()
    {
        if (!File.Exists(Chromium))
        {
            Assert.False(TestEnvironment.IsCi, $"{Chromium} is missing: apt-get install -y chromium");
            return (null, null);
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }

    /// <summary>Opens <paramref name="url"/> and returns the response.</summary>
    public static async Task<IResponse?> GoAsync(IPage page, string url)
    {
        var response = await page.GotoAsync(url, Document);
        await BodyAsync(page);
        return response;
    }

    /// <summary>Waits until the browser is at a URL <paramref name="where"/> accepts, saying where it is instead if not.</summary>
    public static async Task ArriveAsync(IPage page, Func<string, bool> where)
    {
        try
        {
            await page.WaitForURLAsync(where, new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        }
        catch (TimeoutException ex)
        {
            var text = await page.EvaluateAsync<string>("() => document.body ? document.body.innerText.slice(0, 2000) : ''");
            throw new TimeoutException($"the browser did not arrive; it is at {page.Url}, showing: {text}", ex);
        }

        await BodyAsync(page);
    }

    /// <summary>Clicks <paramref name="selector"/> (a submit button) and waits for the page it leads to.</summary>
    public static async Task SubmitAsync(IPage page, string selector)
    {
        // Note: a mark on the current document; the next document (the form's answer) does not have it.
        await page.EvaluateAsync("() => { window.__spbeSame = true; }");
        await page.ClickAsync(selector);
        await page.WaitForFunctionAsync("() => window.__spbeSame !== true", null, new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 50 });
        await BodyAsync(page);
    }

    public static Task BodyAsync(IPage page) =>
        page.WaitForSelectorAsync("body", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
}
