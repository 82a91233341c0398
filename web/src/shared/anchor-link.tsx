import { Anchor, type AnchorProps } from '@mantine/core'
import { createLink } from '@tanstack/react-router'
import { forwardRef } from 'react'

// Mantine's Anchor as a router link, keeping the router's typed `to` and `params`.
const MantineAnchor = forwardRef<
  HTMLAnchorElement,
  AnchorProps & React.ComponentPropsWithoutRef<'a'>
>((props, ref) => <Anchor component="a" ref={ref} {...props} />)

/** A text link to a page of the app. */
export const AnchorLink = createLink(MantineAnchor)
