package dev.weir.api.v1alpha1;

/** The shape of a chat message, as the chat's webhook expects it. */
public enum ChatFormat {
  /** Microsoft Teams: an Adaptive Card in a message attachment (Workflows webhooks). */
  AdaptiveCard,
  /** Microsoft Teams: the legacy connector card of Office 365 connectors. */
  MessageCard,
  /** Google Chat: a plain text message. */
  Text,
  /** Google Chat: a card (cardsV2) with the facts and a button to the measurements. */
  CardsV2
}
