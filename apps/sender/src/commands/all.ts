import type { Command } from '../command';
import { deviceCommand } from './device';
import { imagesCommand } from './images';
import { kafkaCommand } from './kafka';
import { messagesCommand } from './messages';
import { textCommand } from './text';

/** Every subcommand, in the order the overview lists them. */
export const commands: readonly Command[] = [imagesCommand, messagesCommand, textCommand, deviceCommand, kafkaCommand];
