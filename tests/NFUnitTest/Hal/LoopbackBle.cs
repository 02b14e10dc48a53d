using System;
using System.Collections;
using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>
    /// The BLE peripheral with the phone on its other side, in one process: the phone's writes reach the device at once
    /// (WriteReceived), the device's notifications wait in the phone's inbox. MTU 23 unless the phone asks for more.
    /// </summary>
    public sealed class LoopbackBle : IBlePeripheral
    {
        private readonly Queue _toPhone = new Queue();

        public LoopbackBle()
        {
            Mtu = 23;
        }

        public bool IsAdvertising { get; private set; }

        public bool IsConnected { get; private set; }

        public int Mtu { get; private set; }

        /// <summary>The service data of the last advertisement.</summary>
        public byte[] AdvertisedServiceData { get; private set; }

        public int BondDeletions { get; private set; }

        public event BleWriteHandler WriteReceived;

        public event BleConnectionHandler ConnectionChanged;

        public void StartAdvertising(byte[] serviceData)
        {
            AdvertisedServiceData = (byte[])serviceData.Clone();
            IsAdvertising = true;
        }

        public void StopAdvertising()
        {
            IsAdvertising = false;
        }

        public bool Notify(byte[] value, int offset, int count)
        {
            if (!IsConnected)
            {
                return false;
            }

            if (count > Mtu - 3)
            {
                throw new ArgumentException("a notification longer than MTU - 3");
            }

            byte[] copy = new byte[count];
            Array.Copy(value, offset, copy, 0, count);
            _toPhone.Enqueue(copy);
            return true;
        }

        public void Disconnect()
        {
            SetConnected(false);
        }

        public void SetBatteryLevel(int percent)
        {
        }

        public void SetFirmwareRevision(string version)
        {
        }

        public void DeleteAllBonds()
        {
            BondDeletions++;
        }

        // ---- the phone's side ----

        public void PhoneConnect(int mtu)
        {
            Mtu = mtu;
            _toPhone.Clear();
            SetConnected(true);
        }

        public void PhoneDisconnect()
        {
            SetConnected(false);
        }

        /// <summary>One ATT write; false when not connected or longer than MTU - 3.</summary>
        public bool PhoneWrite(byte[] value)
        {
            if (!IsConnected || value.Length > Mtu - 3)
            {
                return false;
            }

            BleWriteHandler handler = WriteReceived;
            if (handler != null)
            {
                handler(this, (byte[])value.Clone());
            }

            return true;
        }

        /// <summary>The next notification for the phone, or null.</summary>
        public byte[] PhoneTake()
        {
            return _toPhone.Count > 0 ? (byte[])_toPhone.Dequeue() : null;
        }

        private void SetConnected(bool connected)
        {
            if (IsConnected == connected)
            {
                return;
            }

            IsConnected = connected;
            if (connected)
            {
                IsAdvertising = false;
            }
            else
            {
                Mtu = 23;       // what was notified before the link dropped has reached the phone
            }

            BleConnectionHandler handler = ConnectionChanged;
            if (handler != null)
            {
                handler(this, connected);
            }
        }
    }
}
