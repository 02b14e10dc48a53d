using nanoFramework.TestFramework;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Storage;
using SmartKey.NFUnitTest.Lane;
using SmartKey.NFUnitTest.Phone;

namespace SmartKey.NFUnitTest
{
    /// <summary>
    /// A lock's life on the interpreter, the whole firmware (SmartKeyDevice) on the lane's hal against the portable phone
    /// (Phone/): an owner pairs with the label's setup code, unlocks in one round trip, grants a guest a window that opens
    /// inside it and not outside, and a factory reset leaves no binding.
    /// </summary>
    [TestClass]
    public class LockLifeTests
    {
        public const string Serial = "SK-LANE-0001";
        public const string Code = "3141592653";

        /// <summary>Tuesday 2026-03-03 09:00 UTC.</summary>
        public const long Tuesday0900 = 1772528400;

        private static byte[][] _codeKeys;
        private static byte[] _verifierL;

        [TestMethod]
        public void AnOwnerPairsWithTheLabelCode()
        {
            LaneLock lane = Provisioned();
            Assert.IsFalse(lane.Core.Bindings.HasOwner, "a new lock has no owner");
            LanePhone phone = new LanePhone(lane, 11);
            phone.Connect();
            PhoneCredential owner = phone.Pair(CodeKeys()[0], CodeKeys()[1], Serial, "owner");
            phone.Disconnect();
            Assert.AreEqual(BindingRole.Owner, owner.Role, "role");
            Assert.IsTrue(lane.Core.Bindings.HasOwner, "the lock has its owner");
            Assert.AreEqual(1, lane.Core.Bindings.Count, "bindings");
            lane.Boot();
            Assert.IsTrue(lane.Core.Bindings.HasOwner, "the owner is kept across a reboot");
        }

        [TestMethod]
        public void AWrongCodeIsRefusedBeforeThePhoneProvesAnything()
        {
            LaneLock lane = Provisioned();
            LanePhone phone = new LanePhone(lane, 12);
            phone.Connect();
            byte[] w0 = new byte[32], w1 = new byte[32];
            w0[31] = 5;
            w1[31] = 9;
            byte code = 0;
            try
            {
                phone.Pair(w0, w1, Serial, "impostor");
            }
            catch (PhoneRefused refused)
            {
                code = refused.Code;
            }

            Assert.AreEqual(ErrorCode.WrongSetupCode, code, "the lock's proof does not match another code");
            Assert.IsFalse(lane.Core.Bindings.HasOwner, "no owner");
        }

        [TestMethod]
        public void ASessionUnlocksInOneRoundTripAndLocksAgain()
        {
            LaneLock lane = Provisioned();
            PhoneCredential owner = PairOwner(lane);
            Assert.IsTrue(lane.Bolt.IsLocked, "locked to begin with");
            LanePhone phone = new LanePhone(lane, 13);
            Connect(lane, phone);
            Assert.IsTrue(lane.Ble.AdvertisedServiceData != null, "the lock advertised its nonce");
            byte[] first;
            LaneSession session = phone.Open(owner, CommandId.Unlock, new byte[0], out first);
            Assert.AreEqual(1, phone.RoundTrips, "a session and an unlock in one round trip");
            Assert.AreEqual((byte)LockState.Unlocked, first[0], "the answer: unlocked");
            Assert.IsFalse(lane.Bolt.IsLocked, "the bolt is back");
            byte[] locked = session.Send(CommandId.Lock, new byte[0]);
            Assert.AreEqual((byte)LockState.Locked, locked[0], "the answer: locked");
            Assert.IsTrue(lane.Bolt.IsLocked, "the bolt is out");
            session.End();
            phone.Disconnect();
        }

        [TestMethod]
        public void AGuestOpensInsideItsWindowAndNotOutside()
        {
            LaneLock lane = Provisioned();
            PhoneCredential owner = PairOwner(lane);
            LanePhone ownerPhone = new LanePhone(lane, 14);
            Connect(lane, ownerPhone);
            byte[] status;
            LaneSession session = ownerPhone.Open(owner, CommandId.Status, new byte[0], out status);
            // Every day, 08:00 to 18:00 in the lock's local time (UTC until an owner sets a zone), no start or end date.
            byte[] window = new byte[13];
            window[8] = 0x7F;
            window[9] = 480 & 0xFF;
            window[10] = 480 >> 8;
            window[11] = 1080 & 0xFF;
            window[12] = 1080 >> 8;
            byte[] granted = session.Send(CommandId.AddGuest, window);
            Assert.AreEqual(33, granted.Length, "a guest key: id and 32 bytes");
            byte[] key = new byte[32];
            System.Array.Copy(granted, 1, key, 0, 32);
            PhoneCredential guest = new PhoneCredential(granted[0], BindingRole.Guest, key);
            session.End();
            ownerPhone.Disconnect();

            LanePhone guestPhone = new LanePhone(lane, 15);
            Connect(lane, guestPhone);
            byte[] first;
            guestPhone.Open(guest, CommandId.Unlock, new byte[0], out first);
            Assert.AreEqual((byte)LockState.Unlocked, first[0], "09:00 on a Tuesday: inside the window");
            guestPhone.Disconnect();

            lane.Clock.SetUnixSeconds(Tuesday0900 + 10 * 3600);      // 19:00
            Connect(lane, guestPhone);
            byte refusal = 0;
            try
            {
                guestPhone.Open(guest, CommandId.Unlock, new byte[0], out first);
            }
            catch (PhoneRefused refused)
            {
                refusal = refused.Code;
            }

            Assert.AreEqual(ErrorCode.OutsideAccessWindow, refusal, "19:00: outside the window");
            guestPhone.Disconnect();
        }

        [TestMethod]
        public void AFactoryResetLeavesNoBinding()
        {
            LaneLock lane = Provisioned();
            PhoneCredential owner = PairOwner(lane);
            LanePhone phone = new LanePhone(lane, 16);
            Connect(lane, phone);
            byte[] status;
            LaneSession session = phone.Open(owner, CommandId.Status, new byte[0], out status);
            uint confirm = CommandId.FactoryResetConfirmation;
            session.Send(CommandId.FactoryReset, new byte[] { (byte)confirm, (byte)(confirm >> 8), (byte)(confirm >> 16), (byte)(confirm >> 24) });
            lane.Advance(1000);
            phone.Disconnect();
            lane.Boot();
            Assert.AreEqual(0, lane.Core.Bindings.Count, "no binding after the reset and a reboot");
            Assert.IsFalse(lane.Core.Bindings.HasOwner, "no owner");
            Assert.IsTrue(lane.Core.Identity.Current != null, "the factory identity stays");
            Assert.IsFalse(Contains(lane.Flash.Snapshot(), owner.Key), "the owner's key is nowhere in flash");

            LanePhone again = new LanePhone(lane, 17);
            Connect(lane, again);
            byte refusal = 0;
            try
            {
                again.Open(owner, CommandId.Status, new byte[0], out status);
            }
            catch (PhoneRefused refused)
            {
                refusal = refused.Code;
            }

            Assert.AreEqual(ErrorCode.AuthenticationFailed, refusal, "the old owner's key opens nothing (the lock names no reason: no oracle)");
        }

        private static void Connect(LaneLock lane, LanePhone phone)
        {
            lane.Wake();
            phone.Connect();
        }

        /// <summary>A new lock at Tuesday 09:00 UTC, provisioned with the label code's verifier.</summary>
        private static LaneLock Provisioned()
        {
            LaneLock lane = new LaneLock(Tuesday0900);
            if (_verifierL == null)
            {
                _verifierL = new Spake2PlusProver(CodeKeys()[0], CodeKeys()[1]).ComputeL();
            }

            Assert.AreEqual((int)StoreResult.Ok, (int)lane.Provision(Serial, CodeKeys()[0], _verifierL, _verifierL), "provision");
            return lane;
        }

        private static PhoneCredential PairOwner(LaneLock lane)
        {
            LanePhone phone = new LanePhone(lane, 10);
            Connect(lane, phone);
            PhoneCredential owner = phone.Pair(CodeKeys()[0], CodeKeys()[1], Serial, "owner");
            phone.Disconnect();
            return owner;
        }

        /// <summary>(w0, w1) from the label code: PBKDF2 with 20,000 iterations, once per run.</summary>
        private static byte[][] CodeKeys()
        {
            if (_codeKeys == null)
            {
                _codeKeys = SetupCodeKeys.Derive(Code, Serial);
            }

            return _codeKeys;
        }

        private static bool Contains(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                if (haystack[i] != needle[0])
                {
                    continue;
                }

                int k = 1;
                while (k < needle.Length && haystack[i + k] == needle[k])
                {
                    k++;
                }

                if (k == needle.Length)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
