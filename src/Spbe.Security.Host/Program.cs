using Spbe.Security.Host.Endpoints;
using Spbe.Security.Host.Hosting;
using Spbe.Security.Identity;
using Spbe.Security.Pki;
using Spbe.Security.Host.Soc;
using Spbe.Security.Soc;

// Note: settings are read once at start. Watching appsettings.json makes .NET watch the whole content root tree, and
// with the data directory under it every write of the ingest pipeline woke the watcher (3-4 % of a core at full rate).
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
builder.AddSpbeHosting();
builder.AddSpbeIdentity();
builder.AddSpbePki();
builder.AddSpbePkiBackgroundServices();
builder.AddSpbeSocSecurityEvents();
builder.AddSpbeSocIngest();
builder.AddSpbeSocConsole();
builder.Services.AddSpbeSocOpenApi();

var app = builder.Build();
// Note: before everything else: pre-signed OCSP answers need none of the pipeline (see OcspFastPath).
app.UseOcspFastPath();
app.UseSpbeHosting();
app.MapOperationalEndpoints();
app.MapSsoEndpoints();
app.MapIdentityAdminEndpoints();
app.MapPkiEndpoints();
app.MapSigningEndpoints();
app.MapSocEndpoints();
app.MapIncidentEndpoints();
app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
app.MapRazorPages();
return await app.RunSpbeAsync();
