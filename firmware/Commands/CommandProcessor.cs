using SmartKey.Firmware.Battery;
using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Pairing;
using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Settings;
using SmartKey.Firmware.Storage;
using SmartKey.Firmware.Telemetry;
using SmartKey.Firmware.Text;
using SmartKey.Hal;

namespace SmartKey.Firmware.Commands
{
    /// <summary>
    /// Executes the commands of an authenticated session with least privilege: guests may only unlock,
    /// lock (inside their access window), ask for status and end the session; everything else needs an
    /// owner. Arguments are parsed bounds-first; a refused command returns a status and changes nothing.
    /// </summary>
    public sealed class CommandProcessor
    {
        public const int MaxLogEntriesPerRead = 60;
        /// <summary>Keys per ListKeys page: 3 + 1 + 16·48 + 1 = 773 bytes of plaintext, well under a 1,024-byte message.</summary>
        public const int KeysPerPage = 48;

        private readonly BindingStore _bindings;
        private readonly LockController _lock;
        private readonly DoorContact _door;
        private readonly BatteryMonitor _battery;
        private readonly UnlockLog _log;
        private readonly LogRecorder _recorder;
        private readonly ActiveSettings _settings;
        private readonly PairingWindow _pairingWindow;
        private readonly WifiCredentials _wifi;
        private readonly RunningFirmware _firmware;
        private readonly IRealTimeClock _rtc;
        private readonly IEntropySource _entropy;

        public CommandProcessor(BindingStore bindings, LockController lockController, DoorContact door, BatteryMonitor battery, UnlockLog log, LogRecorder recorder,
            ActiveSettings settings, PairingWindow pairingWindow, WifiCredentials wifi, RunningFirmware firmware, IRealTimeClock rtc, IEntropySource entropy)
        {
            _bindings = bindings;
            _lock = lockController;
            _door = door;
            _battery = battery;
            _log = log;
            _recorder = recorder;
            _settings = settings;
            _pairingWindow = pairingWindow;
            _wifi = wifi;
            _firmware = firmware;
            _rtc = rtc;
            _entropy = entropy;
        }

        /// <summary>The OTA-over-BLE entry point (commands 0x20..0x2F); null until the update agent is attached.</summary>
        public IOtaCommandHandler Ota { get; set; }

        public CommandOutcome Execute(Binding caller, byte[] plaintext, int length)
        {
            CommandOutcome outcome = new CommandOutcome();
            if (length < 2)
            {
                outcome.Response = CommandResponse.Status(0, 0, ErrorCode.MalformedFrame);
                return outcome;
            }

            byte command = plaintext[0];
            byte requestId = plaintext[1];
            WireReader args = new WireReader(plaintext, 2, length - 2);
            if (!caller.IsOwner && !CommandId.GuestMayUse(command))
            {
                outcome.Response = CommandResponse.Status(command, requestId, ErrorCode.NotPermitted);
                return outcome;
            }

            switch (command)
            {
                case CommandId.Unlock:
                case CommandId.Lock:
                    outcome.Response = Move(caller, command, requestId, args);
                    break;
                case CommandId.Status:
                    outcome.Response = args.AtEnd ? Status(caller, requestId) : Bad(command, requestId);
                    break;
                case CommandId.SetTime:
                    outcome.Response = SetTime(caller, requestId, args);
                    break;
                case CommandId.AddGuest:
                    outcome.Response = AddGuest(requestId, args);
                    break;
                case CommandId.ListKeys:
                    outcome.Response = ListKeys(requestId, args);
                    break;
                case CommandId.RevokeKey:
                    outcome.Response = Revoke(caller, requestId, args, outcome);
                    break;
                case CommandId.GetSettings:
                    outcome.Response = args.AtEnd ? CommandResponse.Begin(command, requestId, ErrorCode.Ok, DeviceSettings.EncodedLength).Bytes(_settings.Current.Encode()).ToArray() : Bad(command, requestId);
                    break;
                case CommandId.SetSettings:
                    outcome.Response = SetSettings(requestId, args);
                    break;
                case CommandId.ReadLog:
                    outcome.Response = ReadLog(requestId, args);
                    break;
                case CommandId.FactoryReset:
                    outcome.Response = FactoryReset(requestId, args, outcome);
                    break;
                case CommandId.AllowOwnerPairing:
                    outcome.Response = args.AtEnd ? AllowOwnerPairing(caller, requestId) : Bad(command, requestId);
                    break;
                case CommandId.SetWifi:
                    outcome.Response = SetWifi(requestId, args);
                    break;
                case CommandId.EndSession:
                    outcome.Response = CommandResponse.Status(command, requestId, ErrorCode.Ok);
                    outcome.EndSession = true;
                    break;
                default:
                    if (command >= CommandId.OtaFirst && command <= CommandId.OtaLast && Ota != null)
                    {
                        outcome.Response = Ota.Handle(plaintext, length);
                    }
                    else
                    {
                        outcome.Response = CommandResponse.Status(command, requestId, command >= CommandId.OtaFirst && command <= CommandId.OtaLast ? ErrorCode.Unsupported : ErrorCode.UnknownCommand);
                    }

                    break;
            }

            return outcome;
        }

        private byte[] Move(Binding caller, byte command, byte requestId, WireReader args)
        {
            if (!args.AtEnd) return Bad(command, requestId);
            if (!AccessWindow.ClockTrustedForGuests(_rtc.UnixSeconds, _log.NewestUnixTime) && !caller.IsOwner)
            {
                _recorder.Record(command == CommandId.Unlock ? LogAction.Unlock : LogAction.Lock, LogTrigger.Phone, caller.Id, ErrorCode.ClockBehind);
                return CommandResponse.Status(command, requestId, ErrorCode.ClockBehind);
            }

            if (!AccessWindow.Allows(caller, _rtc.UnixSeconds, _settings.Current.TimezoneOffsetMinutes, _log.NewestUnixTime))
            {
                _recorder.Record(command == CommandId.Unlock ? LogAction.Unlock : LogAction.Lock, LogTrigger.Phone, caller.Id, ErrorCode.OutsideAccessWindow);
                return CommandResponse.Status(command, requestId, ErrorCode.OutsideAccessWindow);
            }

            LockResult started = _lock.Request(command == CommandId.Unlock ? LockCommand.Unlock : LockCommand.Lock, LogTrigger.Phone, caller.Id);
            if (started == LockResult.Started) return null;                      // answered when the bolt arrives
            return LockResponse(command, requestId, started);
        }

        /// <summary>The response of a lock movement (immediate, or when the controller completes).</summary>
        public byte[] LockResponse(byte command, byte requestId, LockResult result)
        {
            byte status = result == LockResult.Ok ? ErrorCode.Ok
                : result == LockResult.Busy ? ErrorCode.LockBusy
                : result == LockResult.Jammed ? ErrorCode.LockJammed : ErrorCode.LockFault;
            return CommandResponse.Begin(command, requestId, status, 1).Byte((int)_lock.State).ToArray();
        }

        private byte[] Status(Binding caller, byte requestId)
        {
            string version = _firmware.Version;
            WireWriter w = CommandResponse.Begin(CommandId.Status, requestId, ErrorCode.Ok, 24 + version.Length);
            int door = _door.State;
            w.Byte((int)_lock.State).Byte(door).Byte(_battery.Percent).UInt16(_battery.Millivolts).Byte((int)_battery.State)
                .UInt32((uint)_rtc.UnixSeconds).Byte(_bindings.Count).Byte(caller.Id).Byte(caller.Role).Byte(version.Length);
            for (int i = 0; i < version.Length; i++) w.Byte(version[i]);
            if (caller.IsOwner) w.UInt32(_bindings.OwnerChanges);          // owners only: who owns the lock is theirs to know
            return w.ToArray();
        }

        /// <summary>Window seconds u16 || one-time code (16): only this owner's session ever sees the code.</summary>
        private byte[] AllowOwnerPairing(Binding caller, byte requestId)
        {
            byte[] code = _pairingWindow.OpenForAnotherOwner(caller.Id);
            if (code == null) return CommandResponse.Status(CommandId.AllowOwnerPairing, requestId, ErrorCode.NotProvisioned);
            _recorder.Record(LogAction.OwnerInviteOpened, LogTrigger.Phone, caller.Id, ErrorCode.Ok);
            byte[] response = CommandResponse.Begin(CommandId.AllowOwnerPairing, requestId, ErrorCode.Ok, 2 + OwnerInvite.CodeLength).UInt16(OwnerInvite.WindowMs / 1000).Bytes(code).ToArray();
            System.Array.Clear(code, 0, code.Length);
            return response;
        }

        private byte[] SetTime(Binding caller, byte requestId, WireReader args)
        {
            uint unix;
            if (!args.TryUInt32(out unix) || !args.AtEnd || unix < 1577836800) return Bad(CommandId.SetTime, requestId);   // not before 2020
            _rtc.SetUnixSeconds(unix);
            _recorder.Record(LogAction.ClockSet, LogTrigger.Phone, caller.Id, ErrorCode.Ok);   // who set it: the owner reading the log can tell
            return CommandResponse.Status(CommandId.SetTime, requestId, ErrorCode.Ok);
        }

        private byte[] AddGuest(byte requestId, WireReader args)
        {
            uint from, until;
            byte days;
            int start, end;
            if (!args.TryUInt32(out from) || !args.TryUInt32(out until) || !args.TryByte(out days) || !args.TryUInt16(out start) || !args.TryUInt16(out end) || !args.AtEnd)
            {
                return Bad(CommandId.AddGuest, requestId);
            }

            Binding guest = new Binding();
            guest.Role = BindingRole.Guest;
            guest.ValidFrom = from;
            guest.ValidUntil = until;
            guest.Days = days;
            guest.StartMinute = (ushort)start;
            guest.EndMinute = (ushort)end;
            _entropy.Fill(guest.Key, 0, guest.Key.Length);
            KeyResult added = _bindings.Add(guest);
            if (added != KeyResult.Ok) return CommandResponse.Status(CommandId.AddGuest, requestId, KeyStatus(added));
            _recorder.Record(LogAction.KeyAdded, LogTrigger.Phone, guest.Id, ErrorCode.Ok);
            return CommandResponse.Begin(CommandId.AddGuest, requestId, ErrorCode.Ok, 1 + Binding.KeyLength).Byte(guest.Id).Bytes(guest.Key).ToArray();
        }

        /// <summary>One page: the keys with an id above "after" (no argument: from the start), and whether more follow.</summary>
        private byte[] ListKeys(byte requestId, WireReader args)
        {
            byte after = 0;
            if (!args.AtEnd && (!args.TryByte(out after) || !args.AtEnd)) return Bad(CommandId.ListKeys, requestId);
            Binding[] all = _bindings.All();
            int first = 0;
            while (first < all.Length && all[first].Id <= after) first++;
            int n = all.Length - first < KeysPerPage ? all.Length - first : KeysPerPage;
            bool more = first + n < all.Length;
            WireWriter w = CommandResponse.Begin(CommandId.ListKeys, requestId, ErrorCode.Ok, 2 + 16 * n).Byte(n);
            for (int i = first; i < first + n; i++)
            {
                Binding b = all[i];
                w.Byte(b.Id).Byte(b.Role).Byte(b.Revoked ? 1 : 0).UInt32(b.ValidFrom).UInt32(b.ValidUntil).Byte(b.Days).UInt16(b.StartMinute).UInt16(b.EndMinute);
            }

            return w.Byte(more ? 1 : 0).ToArray();
        }

        private byte[] Revoke(Binding caller, byte requestId, WireReader args, CommandOutcome outcome)
        {
            byte id;
            if (!args.TryByte(out id) || !args.AtEnd) return Bad(CommandId.RevokeKey, requestId);
            KeyResult revoked = _bindings.Revoke(id);
            if (revoked != KeyResult.Ok) return CommandResponse.Status(CommandId.RevokeKey, requestId, KeyStatus(revoked));
            _recorder.Record(LogAction.KeyRevoked, LogTrigger.Phone, id, ErrorCode.Ok);
            outcome.RevokedBinding = id;
            if (id == caller.Id) outcome.EndSession = true;
            return CommandResponse.Status(CommandId.RevokeKey, requestId, ErrorCode.Ok);
        }

        private byte[] SetSettings(byte requestId, WireReader args)
        {
            byte[] encoded;
            if (!args.TryBytes(DeviceSettings.EncodedLength, out encoded) || !args.AtEnd) return Bad(CommandId.SetSettings, requestId);
            DeviceSettings settings = DeviceSettings.Decode(encoded, encoded.Length);
            if (settings == null) return Bad(CommandId.SetSettings, requestId);
            if (_settings.Change(settings) != StoreResult.Ok) return CommandResponse.Status(CommandId.SetSettings, requestId, ErrorCode.StorageError);
            _recorder.Record(LogAction.SettingsChanged, LogTrigger.Phone, 0, ErrorCode.Ok);
            return CommandResponse.Status(CommandId.SetSettings, requestId, ErrorCode.Ok);
        }

        private byte[] ReadLog(byte requestId, WireReader args)
        {
            uint cursor;
            byte max;
            if (!args.TryUInt32(out cursor) || !args.TryByte(out max) || !args.AtEnd || max == 0 || max > MaxLogEntriesPerRead) return Bad(CommandId.ReadLog, requestId);
            LogEntry[] entries = new LogEntry[max];
            int n = _log.ReadAfter(cursor, _rtc.UnixSeconds, entries);
            WireWriter w = CommandResponse.Begin(CommandId.ReadLog, requestId, ErrorCode.Ok, 1 + 12 * n).Byte(n);
            for (int i = 0; i < n; i++)
            {
                LogEntry e = entries[i];
                w.UInt32(e.Sequence).UInt32(e.UnixTime).Byte(e.BindingId).Byte(e.Action).Byte(e.Trigger).Byte(e.Result);
            }

            return w.ToArray();
        }

        private byte[] FactoryReset(byte requestId, WireReader args, CommandOutcome outcome)
        {
            uint confirmation;
            if (!args.TryUInt32(out confirmation) || !args.AtEnd || confirmation != CommandId.FactoryResetConfirmation) return Bad(CommandId.FactoryReset, requestId);
            outcome.EndSession = true;
            outcome.FactoryResetAfterResponse = true;
            return CommandResponse.Status(CommandId.FactoryReset, requestId, ErrorCode.Ok);
        }

        private static byte KeyStatus(KeyResult result)
        {
            switch (result)
            {
                case KeyResult.NotFound: return ErrorCode.UnknownBinding;
                case KeyResult.Full: return ErrorCode.KeysFull;
                case KeyResult.InvalidArgument: return ErrorCode.InvalidArgument;
                case KeyResult.LastOwner: return ErrorCode.LastOwner;
                default: return ErrorCode.StorageError;
            }
        }

        /// <summary>ssid length u8 (1..32) || ssid || password length u8 (0 = open network, or 8..63) || password; printable ASCII.</summary>
        private byte[] SetWifi(byte requestId, WireReader args)
        {
            byte ssidLength, passwordLength;
            byte[] ssid, password;
            if (!args.TryByte(out ssidLength) || ssidLength < 1 || ssidLength > 32 || !args.TryBytes(ssidLength, out ssid)
                || !args.TryByte(out passwordLength) || (passwordLength != 0 && (passwordLength < 8 || passwordLength > 63))
                || !args.TryBytes(passwordLength, out password) || !args.AtEnd)
            {
                return Bad(CommandId.SetWifi, requestId);
            }

            string ssidText = Ascii.Decode(ssid, 0, ssid.Length, Ascii.Space);
            string passwordText = Ascii.Decode(password, 0, password.Length, Ascii.Space);
            if (ssidText == null || passwordText == null) return Bad(CommandId.SetWifi, requestId);
            if (!_wifi.Set(ssidText, passwordText)) return CommandResponse.Status(CommandId.SetWifi, requestId, ErrorCode.StorageError);
            _recorder.Record(LogAction.SettingsChanged, LogTrigger.Phone, 0, ErrorCode.Ok);
            return CommandResponse.Status(CommandId.SetWifi, requestId, ErrorCode.Ok);
        }

        private static byte[] Bad(byte command, byte requestId)
        {
            return CommandResponse.Status(command, requestId, ErrorCode.InvalidArgument);
        }
    }
}
