using System;
using nanoFramework.Device.Bluetooth;
using nanoFramework.Device.Bluetooth.GenericAttributeProfile;
using nanoFramework.Device.Bluetooth.Security;

namespace SmartKey.Hal.Esp32
{
    /// <summary>
    /// The GATT server: the SmartKey service (write + notify characteristics), the Battery Service and the
    /// Device Information Service with the firmware revision only (no serial, no model: nothing that
    /// tells one lock from another).
    /// Handlers copy the bytes and return at once; the core's worker thread does the slow work and answers
    /// with notifications (a GATT request must be answered within about a second).
    /// </summary>
    public sealed class Esp32BlePeripheral : IBlePeripheral
    {
        private const ushort BatteryServiceId = 0x180F;
        private const ushort BatteryLevelId = 0x2A19;
        private const ushort DeviceInformationServiceId = 0x180A;
        private const ushort FirmwareRevisionId = 0x2A26;

        private readonly BluetoothLEServer _server;
        private readonly GattServiceProvider _smartKey;
        private readonly GattLocalCharacteristic _notify;
        private readonly GattLocalCharacteristic _batteryLevel;
        private byte _batteryPercent;
        private bool _advertising;
        private bool _connected;
        private string _firmwareRevision = "";

        public Esp32BlePeripheral(string deviceName, Guid serviceUuid, Guid writeUuid, Guid notifyUuid)
        {
            _server = BluetoothLEServer.Instance;
            _server.DeviceName = deviceName;

            GattServiceProviderResult created = GattServiceProvider.Create(serviceUuid);
            if (created.Error != BluetoothError.Success)
            {
                throw new InvalidOperationException("SmartKey GATT service not created");
            }

            _smartKey = created.ServiceProvider;
            GattLocalService service = _smartKey.Service;

            GattLocalCharacteristicParameters writeParameters = new GattLocalCharacteristicParameters();
            writeParameters.CharacteristicProperties = GattCharacteristicProperties.Write | GattCharacteristicProperties.WriteWithoutResponse;
            writeParameters.UserDescription = "SmartKey in";
            GattLocalCharacteristicResult write = service.CreateCharacteristic(writeUuid, writeParameters);
            write.Characteristic.WriteRequested += OnWriteRequested;

            GattLocalCharacteristicParameters notifyParameters = new GattLocalCharacteristicParameters();
            notifyParameters.CharacteristicProperties = GattCharacteristicProperties.Notify;
            notifyParameters.UserDescription = "SmartKey out";
            _notify = service.CreateCharacteristic(notifyUuid, notifyParameters).Characteristic;

            GattServiceProviderResult battery = GattServiceProvider.Create(Utilities.CreateUuidFromShortCode(BatteryServiceId));
            GattLocalCharacteristicParameters levelParameters = new GattLocalCharacteristicParameters();
            levelParameters.CharacteristicProperties = GattCharacteristicProperties.Read | GattCharacteristicProperties.Notify;
            _batteryLevel = battery.ServiceProvider.Service.CreateCharacteristic(Utilities.CreateUuidFromShortCode(BatteryLevelId), levelParameters).Characteristic;
            _batteryLevel.ReadRequested += OnBatteryLevelRead;

            GattServiceProviderResult information = GattServiceProvider.Create(Utilities.CreateUuidFromShortCode(DeviceInformationServiceId));
            GattLocalCharacteristicParameters revisionParameters = new GattLocalCharacteristicParameters();
            revisionParameters.CharacteristicProperties = GattCharacteristicProperties.Read;
            GattLocalCharacteristic revision = information.ServiceProvider.Service.CreateCharacteristic(Utilities.CreateUuidFromShortCode(FirmwareRevisionId), revisionParameters).Characteristic;
            revision.ReadRequested += OnFirmwareRevisionRead;

            _server.Start();
            _server.Session.SessionStatusChanged += OnSessionStatusChanged;
        }

        public event BleWriteHandler WriteReceived;

        public event BleConnectionHandler ConnectionChanged;

        public bool IsAdvertising
        {
            get { return _advertising; }
        }

        public bool IsConnected
        {
            get { return _connected; }
        }

        public int Mtu
        {
            get { return _server.Session.MaxMtuSize; }
        }

        /// <summary>What the Device Information Service's Firmware Revision String answers.</summary>
        public string FirmwareRevision
        {
            get { return _firmwareRevision; }
        }

        public void StartAdvertising(byte[] serviceData)
        {
            GattServiceProviderAdvertisingParameters parameters = new GattServiceProviderAdvertisingParameters();
            parameters.IsConnectable = true;
            parameters.IsDiscoverable = true;
            parameters.ServiceData = new Buffer(serviceData);
            _smartKey.StopAdvertising();
            _smartKey.StartAdvertising(parameters);
            _advertising = true;
        }

        public void StopAdvertising()
        {
            _smartKey.StopAdvertising();
            _advertising = false;
        }

        public bool Notify(byte[] value, int offset, int count)
        {
            if (!_connected)
            {
                return false;
            }

            byte[] bytes = new byte[count];
            Array.Copy(value, offset, bytes, 0, count);
            _notify.NotifyValue(new Buffer(bytes));
            return true;
        }

        public void Disconnect()
        {
            // The listed API has no per-connection disconnect: restarting the server drops the central.
            _server.Stop();
            _server.Start();
            SetConnected(false);
        }

        public void SetBatteryLevel(int percent)
        {
            _batteryPercent = (byte)(percent < 0 ? 0 : percent > 100 ? 100 : percent);
            if (_connected)
            {
                _batteryLevel.NotifyValue(new Buffer(new byte[] { _batteryPercent }));
            }
        }

        public void SetFirmwareRevision(string version)
        {
            _firmwareRevision = version;
        }

        public void DeleteAllBonds()
        {
            try
            {
                DeviceBonding.DeleteAllBonds();
            }
            catch (Exception)
            {
                // Never throw into a factory reset (it would repeat at every boot); bonds are no security boundary here.
                Console.WriteLine("SmartKey: BLE bonds could not be deleted");
            }
        }

        private void OnWriteRequested(GattLocalCharacteristic sender, GattWriteRequestedEventArgs args)
        {
            GattWriteRequest request = args.GetRequest();
            Buffer buffer = request.Value;
            byte[] bytes = new byte[buffer.Length];
            DataReader reader = DataReader.FromBuffer(buffer);
            reader.ReadBytes(bytes);
            if (request.Option == GattWriteOption.WriteWithResponse)
            {
                request.Respond();
            }

            BleWriteHandler handler = WriteReceived;
            if (handler != null)
            {
                handler(this, bytes);
            }
        }

        private void OnBatteryLevelRead(GattLocalCharacteristic sender, GattReadRequestedEventArgs args)
        {
            args.GetRequest().RespondWithValue(new Buffer(new byte[] { _batteryPercent }));
        }

        private void OnFirmwareRevisionRead(GattLocalCharacteristic sender, GattReadRequestedEventArgs args)
        {
            args.GetRequest().RespondWithValue(new Buffer(System.Text.Encoding.UTF8.GetBytes(_firmwareRevision)));
        }

        private void OnSessionStatusChanged(object sender, GattSessionStatusChangedEventArgs args)
        {
            SetConnected(args.Status == GattSessionStatus.Active);
        }

        private void SetConnected(bool connected)
        {
            if (connected == _connected)
            {
                return;
            }

            _connected = connected;
            if (connected)
            {
                _advertising = false;
            }

            BleConnectionHandler handler = ConnectionChanged;
            if (handler != null)
            {
                handler(this, connected);
            }
        }
    }
}
