using System.Collections.Frozen;
using System.Globalization;

namespace Spbe.Security.Host.Sso;

/// <summary>
/// The pages speak Bahasa Indonesia; a browser that prefers English (and not Indonesian) gets English. Texts are
/// keyed by their Indonesian form, so a page reads naturally and a missing translation falls back to Indonesian.
/// </summary>
public sealed class UiText
{
    /// <summary>The UI cultures offered, Indonesian first (the default).</summary>
    public static readonly string[] Cultures = ["id", "en"];

    private static readonly FrozenDictionary<string, string> English = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Sertifikat elektronik"] = "Electronic certificates",
        ["Permohonan terkirim. Petugas PKI akan memeriksa identitas Anda sebelum menyetujuinya."] = "Request sent. A PKI officer will check your identity before approving it.",
        ["Permohonan saya"] = "My requests",
        ["Belum ada permohonan."] = "No requests yet.",
        ["Tanggal"] = "Date",
        ["Profil"] = "Profile",
        ["Status"] = "Status",
        ["Nomor seri"] = "Serial number",
        ["Catatan"] = "Note",
        ["Menunggu"] = "Pending",
        ["Terbit"] = "Issued",
        ["Ditolak"] = "Rejected",
        ["Ajukan sertifikat penanda tangan"] = "Request a signing certificate",
        ["Pilih salah satu: tempel CSR dari kunci yang Anda simpan sendiri, atau biarkan server membuat kunci yang hanya dapat dipakai dengan frasa sandi Anda."] =
            "Either paste a CSR for a key you keep yourself, or let the server make a key that only your passphrase can use.",
        ["CSR (PEM)"] = "CSR (PEM)",
        ["Frasa sandi kunci (minimal 12 karakter)"] = "Key passphrase (at least 12 characters)",
        ["Ulangi frasa sandi"] = "Repeat the passphrase",
        ["Ajukan"] = "Submit",
        ["Akun Anda belum berperan penanda tangan (signer). Hubungi admin OPD Anda."] = "Your account does not have the signer role. Contact your OPD administrator.",
        ["Isi CSR, atau frasa sandi dua kali yang sama."] = "Paste a CSR, or enter the same passphrase twice.",
        ["Permohonan tidak dapat diterima."] = "The request cannot be accepted.",
        ["Permohonan sertifikat"] = "Certificate requests",
        ["Setujui hanya setelah memeriksa identitas pemohon secara langsung (KTP dan SK jabatan)."] =
            "Approve only after checking the applicant's identity in person (identity card and letter of appointment).",
        ["Sertifikat diterbitkan: "] = "Certificate issued: ",
        ["Permohonan ditolak."] = "Request rejected.",
        ["Permohonan tidak dapat disetujui."] = "The request cannot be approved.",
        ["Permohonan tidak dapat ditolak."] = "The request cannot be rejected.",
        ["Tulis alasan penolakan."] = "Write the reason for the rejection.",
        ["Tidak ada permohonan yang menunggu."] = "No pending requests.",
        ["Nama"] = "Name",
        ["Kunci"] = "Key",
        ["dibuat server"] = "made by the server",
        ["perpanjangan"] = "renewal",
        ["Setujui"] = "Approve",
        ["Alasan penolakan"] = "Reason for rejection",
        ["Tolak"] = "Reject",
        ["Akun pemohon tidak aktif atau tidak lagi berperan penanda tangan."] = "The applicant's account is disabled or no longer has the signer role.",
        ["Masuk"] = "Sign in",
        ["Gunakan NIP dan kata sandi akun ASN Anda."] = "Use the NIP and password of your ASN account.",
        ["Kata sandi"] = "Password",
        ["18 digit, tanpa spasi."] = "18 digits, no spaces.",
        ["Isi NIP (18 digit) dan kata sandi."] = "Enter your NIP (18 digits) and password.",
        ["NIP atau kata sandi salah."] = "Wrong NIP or password.",
        ["Akun terkunci sementara karena terlalu banyak percobaan yang gagal. Coba lagi beberapa menit lagi."] =
            "The account is temporarily locked after too many failed attempts. Try again in a few minutes.",
        ["Akun ini dinonaktifkan. Hubungi admin OPD Anda."] = "This account is disabled. Contact your OPD administrator.",
        ["Verifikasi dua langkah"] = "Two-step verification",
        ["Masukkan 6 digit kode dari aplikasi autentikator Anda, atau salah satu kode pemulihan."] =
            "Enter the 6-digit code from your authenticator app, or one of your recovery codes.",
        ["Kode"] = "Code",
        ["Verifikasi"] = "Verify",
        ["Kode salah atau sudah dipakai."] = "Wrong or already used code.",
        ["Aktifkan verifikasi dua langkah"] = "Turn on two-step verification",
        ["Pindai kode QR ini dengan aplikasi autentikator (misalnya Google Authenticator, Aegis atau FreeOTP), lalu masukkan kode 6 digit yang muncul."] =
            "Scan this QR code with an authenticator app (for example Google Authenticator, Aegis or FreeOTP), then enter the 6-digit code it shows.",
        ["Tidak bisa memindai? Masukkan kunci ini secara manual:"] = "Cannot scan? Enter this key by hand:",
        ["Aktifkan"] = "Turn on",
        ["Verifikasi dua langkah sudah aktif."] = "Two-step verification is on.",
        ["Simpan kode pemulihan berikut di tempat aman. Setiap kode hanya dapat dipakai sekali, dan kode ini tidak akan ditampilkan lagi."] =
            "Keep these recovery codes somewhere safe. Each works once, and they will not be shown again.",
        ["Lanjutkan"] = "Continue",
        ["Sisa kode pemulihan"] = "Recovery codes left",
        ["Aplikasi ini meminta verifikasi dua langkah. Aktifkan dahulu untuk melanjutkan."] =
            "This application requires two-step verification. Turn it on to continue.",
        ["Terlalu banyak percobaan dari alamat Anda. Tunggu sebentar lalu coba lagi."] =
            "Too many attempts from your address. Wait a moment and try again.",
        ["Persetujuan"] = "Consent",
        ["meminta izin untuk mengakses data berikut dari akun Anda:"] = "asks for permission to access the following from your account:",
        ["Izinkan"] = "Allow",
        ["Tolak"] = "Deny",
        ["Terjadi kesalahan"] = "Something went wrong",
        ["Permintaan tidak dapat diproses."] = "The request could not be processed.",
        ["Kembali ke beranda"] = "Back to the home page",
        ["Permintaan masuk dari aplikasi ini tidak dapat diproses. Kembali ke aplikasi dan coba lagi; jika berulang, hubungi pengelola aplikasi tersebut."] =
            "The sign-in request from this application cannot be processed. Go back to the application and try again; if it keeps happening, contact whoever runs it.",
        ["Untuk pengembang aplikasi"] = "For the application's developer",
        ["Keluar"] = "Sign out",
        ["Anda telah keluar."] = "You are signed out.",
        ["Passkey"] = "Passkeys",
        ["Passkey memungkinkan Anda masuk tanpa kata sandi, dengan sidik jari, wajah atau PIN perangkat."] =
            "A passkey lets you sign in without a password, with your fingerprint, face or device PIN.",
        ["Passkey telah didaftarkan."] = "The passkey is registered.",
        ["Passkey tidak dapat didaftarkan."] = "The passkey could not be registered.",
        ["Passkey terdaftar"] = "Registered passkeys",
        ["Daftarkan passkey"] = "Register a passkey",
        ["Masuk dengan passkey"] = "Sign in with a passkey",
        ["Gunakan passkey"] = "Use a passkey",
        ["Passkey tidak dikenali."] = "The passkey was not recognised.",
        ["atau"] = "or",
        ["Keluar dari semua aplikasi SPBE di perangkat ini?"] = "Sign out of every SPBE application on this device?",
        ["NIP atau kata sandi salah, atau akun sedang tidak dapat dipakai. Jika berulang, hubungi admin OPD Anda."] =
            "Wrong NIP or password, or the account cannot be used right now. If this keeps happening, contact your OPD administrator.",
        ["Masukkan kode perangkat"] = "Enter the device code",
        ["Masukkan kode yang ditampilkan di perangkat Anda."] = "Enter the code your device shows.",
        ["Perangkat telah diizinkan. Anda dapat kembali ke perangkat tersebut."] = "The device is allowed. You can go back to it.",
        ["Kode perangkat tidak dikenal atau kedaluwarsa."] = "Unknown or expired device code.",
        ["Identitas dasar (nama, NIP, jabatan)"] = "Basic identity (name, NIP, position)",
        ["Alamat email"] = "Email address",
        ["OPD tempat Anda bertugas"] = "Your agency (OPD)",
        ["Peran Anda"] = "Your roles",
        ["Administrasi akun dan aplikasi SSO atas nama Anda"] = "Administering SSO accounts and applications on your behalf",
        ["Akses tanpa kehadiran Anda (refresh token)"] = "Access while you are away (refresh token)",
        ["Verifikasi dokumen"] = "Document verification",
        ["Kode dokumen dari QR:"] = "Document code from the QR code:",
        ["Unggah berkas yang Anda terima untuk memeriksa tanda tangannya."] = "Upload the file you received to check its signatures.",
        ["Berkas PDF bertanda tangan"] = "Signed PDF file",
        ["Periksa"] = "Check",
        ["Hasil:"] = "Result:",
        ["Sah"] = "Valid",
        ["Tidak sah"] = "Not valid",
        ["Tidak dapat dipastikan"] = "Cannot be determined",
        ["Tanda tangan"] = "Signature",
        ["Cap waktu dokumen"] = "Document timestamp",
        ["Penanda tangan"] = "Signer",
        ["Jabatan"] = "Position",
        ["Keutuhan"] = "Integrity",
        ["utuh"] = "intact",
        ["berubah"] = "changed",
        ["Cakupan"] = "Coverage",
        ["seluruh dokumen"] = "the whole document",
        ["seluruh dokumen; sesudahnya hanya tanda tangan atau data validasi"] = "the whole document; after it only signatures or validation data",
        ["isi diubah setelah ditandatangani"] = "content changed after signing",
        ["tidak diketahui"] = "unknown",
        ["Rantai sertifikat"] = "Certificate chain",
        ["dipercaya"] = "trusted",
        ["tidak dipercaya"] = "not trusted",
        ["Status pencabutan"] = "Revocation status",
        ["Waktu (diklaim)"] = "Time (claimed)",
        ["Cap waktu"] = "Timestamp",
        ["Level PAdES"] = "PAdES level",
        ["Pilih berkas PDF yang akan diperiksa."] = "Choose the PDF file to check.",
        ["Berkas terlalu besar."] = "The file is too large.",
        ["Layanan sedang sibuk. Coba lagi sebentar lagi."] = "The service is busy. Try again shortly.",
        ["Isi dokumen telah diubah setelah ditandatangani."] = "The document was altered after it was signed.",
        ["Nilai tanda tangan tidak cocok dengan kunci penanda tangan."] = "The signature value does not match the signer's key.",
        ["Sertifikat penanda tangan sudah dicabut sebelum penandatanganan."] = "The signer's certificate was revoked before signing.",
        ["Sertifikat penanda tangan dicabut dan tidak ada bukti waktu penandatanganan sebelumnya."] = "The signer's certificate is revoked and nothing proves the signature is older.",
        ["Sertifikat tidak diterbitkan oleh penyelenggara sertifikasi yang dipercaya."] = "The certificate was not issued by a trusted certification authority.",
        ["Sertifikat tidak berlaku pada waktu pemeriksaan dan tidak ada cap waktu yang membuktikan waktu penandatanganan."] = "The certificate was not valid at validation time and no timestamp proves when the document was signed.",
        ["Status pencabutan sertifikat belum dapat diperoleh."] = "The certificate's revocation status is not available yet.",
        ["Isi dokumen diubah dalam pembaruan setelah ditandatangani."] = "The document's content was changed in an update after signing.",
        ["Dokumen tidak memuat tanda tangan elektronik."] = "The document carries no electronic signature.",
        ["Berkas atau tanda tangannya tidak dapat dibaca."] = "The file or its signature cannot be read.",
        ["Pemantauan tanda tangan elektronik"] = "Electronic signature monitoring",
        ["Bulan terakhir"] = "Last months",
        ["Tampilkan"] = "Show",
        ["Tanda tangan per OPD"] = "Signatures per OPD",
        ["Belum ada penandatanganan pada periode ini."] = "No signing in this period.",
        ["ditandatangani"] = "signed",
        ["ditolak"] = "refused",
        ["ditolak (frasa sandi salah, kunci terkunci, berkas ditolak)"] = "refused (wrong passphrase, locked key, document refused)",
        ["Per penanda tangan dan bulan"] = "Per signer and month",
        ["Bulan"] = "Month",
        ["Ditandatangani"] = "Signed",
        ["Sertifikat yang segera berakhir (30 hari)"] = "Certificates ending soon (30 days)",
        ["Tidak ada."] = "None.",
        ["Berakhir"] = "Ends",
        ["Catatan dokumen"] = "Document record",
        ["Ditandatangani oleh"] = "Signed by",
        ["Waktu"] = "Time",
        ["Kode dokumen ini tidak ada dalam catatan kami."] = "This document code is not in our records.",
        ["Berkas yang diunggah sama persis dengan dokumen yang ditandatangani."] = "The uploaded file is exactly the document that was signed.",
        ["Berkas yang diunggah berbeda dari dokumen yang ditandatangani dengan kode ini."] = "The uploaded file differs from the document signed with this code.",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Whether the current request is served in English.</summary>
    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>The text in the request's language.</summary>
    public string this[string indonesian] => IsEnglish && English.TryGetValue(indonesian, out var english) ? english : indonesian;

    /// <summary>The <c>lang</c> attribute of the page.</summary>
    public static string Language => IsEnglish ? "en" : "id";
}
