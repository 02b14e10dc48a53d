using System;
using System.IO;
using SmartKey.Phone;

namespace SmartKey.Cli;

/// <summary>
/// `smartkey pair`: never leaves a lock with an owner whose key no phone holds (docs/protocol.md §4, "Never a
/// ghost owner"). The wallet is written three times: once as it is before anything is sent (a wallet that cannot
/// be written costs no pairing attempt), once with the new key as pending before PairConfirm (the message that
/// makes the lock store the owner; if that write fails the phone hangs up instead), and once to confirm it with
/// the id from PairAccepted (if that fails the key is still in the wallet, pending, and --resume finishes it).
/// </summary>
public static class Pairing
{
    public static int Run(CliApp.Context ctx, string? serial, string? code, string? invite, string? qr, int? resume, string name, TextWriter error)
    {
        int ways = (code != null ? 1 : 0) + (invite != null ? 1 : 0) + (qr != null ? 1 : 0) + (resume != null ? 1 : 0);
        if (ways != 1)
            throw new CliException("give one of --code (the label's setup code, for a lock with no owner), --qr (the label's QR text), --invite (a one-time code from an owner) or --resume (a pairing the wallet kept as pending)");
        if (qr != null)
        {
            if (serial != null) throw new CliException("--qr carries the serial: leave out --lock");
            try
            {
                (serial, code) = LabelText.Parse(qr);
            }
            catch (FormatException e)
            {
                throw new CliException(e.Message);
            }
        }

        if (serial == null) throw new CliException("give the lock's serial with --lock (it is on the label beside the setup code), or the label's QR text with --qr");
        if (!LabelText.IsSerial(serial))
            throw new CliException($"'{serial}' is not a serial: give the 1..{LabelText.MaxSerialLength} characters printed on the lock's label (no spaces or ':') with --lock");
        if (name.Length is 0 or > 32 || name.Trim().Length == 0)
            throw new CliException("--name takes 1 to 32 characters: this phone's name, as the lock's pairing sees it");
        if (code != null && !SetupCode.IsWellFormed(code))
            throw new CliException($"'{code}' is not a setup code: give the {SetupCode.MinimumDigits} to 32 digits printed on the lock's label (--code)");
        byte[]? inviteCode = null;
        if (invite != null)
        {
            try { inviteCode = Convert.FromHexString(invite); } catch (FormatException) { }
            if (inviteCode == null || inviteCode.Length != SmartKey.Firmware.Pairing.OwnerInvite.CodeLength) throw new CliException("--invite takes the 32 hex digits 'smartkey allow-owner' printed");
        }

        if (resume is { } id) return Resume(ctx, serial, id);

        try
        {
            ctx.Wallet.CheckWritable();
        }
        catch (WalletWriteException e)
        {
            throw new CliException(e.Message + "; nothing was sent to the lock");
        }

        bool pending = false;
        Credential credential;
        try
        {
            credential = ctx.Run(phone =>
            {
                void Keep(byte[] key)
                {
                    ctx.Wallet.SavePending(serial, key);
                    pending = true;
                }

                return inviteCode != null ? phone.PairWithInvite(inviteCode, serial, name, Keep) : phone.Pair(code!, serial, name, Keep);
            });
        }
        catch (WalletWriteException e)
        {
            throw new CliException($"cannot write the wallet {e.WalletPath} ({e.Reason}), so the phone hung up before the lock could store it as an owner: " +
                "nothing changed on the lock (it logs a failed pairing); give a file you can write with --wallet and pair again");
        }
        catch (PhoneException e) when (pending)
        {
            // The lock answered PairConfirm with a refusal: it stored nothing, and the pending key opens nothing.
            if (e.Code is SmartKey.Firmware.Protocol.ErrorCode.WrongSetupCode or SmartKey.Firmware.Protocol.ErrorCode.KeysFull
                or SmartKey.Firmware.Protocol.ErrorCode.StorageError or SmartKey.Firmware.Protocol.ErrorCode.NoPairingInProgress)
            {
                TryDropPending(ctx, serial);
                throw;
            }

            // No answer, or one that does not authenticate: the lock may have stored the owner. The key stays.
            throw new PhoneException(e.Code, e.Message + $"; the lock may have stored the new owner: the key is kept as pending in {ctx.Wallet.Path}; " +
                $"an owner's 'smartkey log' shows it as 'paired' with its key number N, then 'smartkey pair --lock {serial} --resume N'", e.RetryAfterSeconds);
        }

        try
        {
            ctx.Wallet.ConfirmPending(credential);
        }
        catch (WalletWriteException e)
        {
            throw new CliException($"paired with {serial} as owner key #{credential.BindingId}, but the wallet {e.WalletPath} could not record it ({e.Reason}): " +
                $"the key is kept there as pending; when the wallet can be written, run 'smartkey pair --lock {serial} --resume {credential.BindingId}'");
        }

        ctx.Out.WriteLine($"paired with {credential.Serial}: owner key #{credential.BindingId}");
        // A new lock's clock starts wherever its RTC was: set it now, as the reference apps do after pairing.
        try
        {
            return ctx.Session(_ => "", credential);
        }
        catch (PhoneException e)
        {
            error.WriteLine($"warning: paired, but the lock's clock was not checked ({e.Message}): run 'smartkey time'");
            return 0;
        }
    }

    /// <summary>The lock refused before storing anything: the pending key opens nothing, so it goes (if the wallet lets it).</summary>
    private static void TryDropPending(CliApp.Context ctx, string serial)
    {
        try
        {
            ctx.Wallet.DropPending(serial);
        }
        catch (WalletWriteException)
        {
        }
    }

    /// <summary>Gives the pending key the id the lock assigned, after a session with it proves the pair.</summary>
    private static int Resume(CliApp.Context ctx, string serial, int id)
    {
        if (id is < 1 or > 255) throw new CliException($"--resume {id} is out of range: give the key number (1..255) the failed pairing printed");
        var pending = ctx.Wallet.FindPending(serial) ?? throw new CliException($"{ctx.Wallet.Path} keeps no pending key for lock {serial}: nothing to resume");
        var credential = pending with { BindingId = (byte)id };
        return ctx.Session(session =>
        {
            ctx.Wallet.ConfirmPending(credential);
            return $"paired with {serial}: owner key #{id} (resumed)";
        }, credential);
    }
}
