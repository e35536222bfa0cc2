// The frame encoders the sender shares with the receivers. They are imported from their
// modules directly because the package index does not export the device frame yet;
// once it does, these can come from '@sluice/protocol'.
export { encodeImageFrame, IMAGE_HEADER_BYTES, IMAGE_NAME_BYTES } from '../../../packages/protocol/src/framing/image-frame';
export { encodeLengthPrefixed } from '../../../packages/protocol/src/framing/length-prefixed-framer';
export {
  DEVICE_HEADER_BYTES,
  DEVICE_SYNC_WORD,
  DeviceFramer,
  encodeDeviceFrame,
} from '../../../packages/protocol/src/framing/device-frame';
export { crc32 } from '../../../packages/protocol/src/framing/crc32';
